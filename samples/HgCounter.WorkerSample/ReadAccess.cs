using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HgCounter.WorkerSample;

/// <summary>
/// <c>Worker:ReadKey</c> in front of the endpoints marked with <see cref="RequireReadKey{TBuilder}"/>. The dashboard
/// cannot put a header on an <c>EventSource</c>, so it trades the key once (<c>POST /api/session</c>) for an HttpOnly,
/// SameSite=Strict cookie that holds a keyed hash of the key, never the key, and never goes into a URL or a log line.
/// </summary>
internal static class ReadAccess
{
    public const string CookieName = "hgcounter-read";

    private sealed class ReadKeyRequired;

    public static TBuilder RequireReadKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ReadKeyRequired());

    public static void UseReadAccess(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<IOptions<WorkerAccessOptions>>().Value;
        if (string.IsNullOrEmpty(access.ReadKey))
        {
            return;
        }

        var sessionValue = SessionValue(access.ReadKey);
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ReadKeyRequired>() is null || IsAllowed(context.Request, access, sessionValue))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync("Worker:ReadKey is set: send it in X-Api-Key or Authorization: Bearer.");
        });

        app.MapPost("/api/session", (HttpContext context) =>
        {
            if (!IsAllowed(context.Request, access, cookieValue: null))
            {
                return Results.Unauthorized();
            }

            context.Response.Cookies.Append(CookieName, sessionValue, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            return Results.NoContent();
        });
    }

    private static bool IsAllowed(HttpRequest request, WorkerAccessOptions access, string? cookieValue) =>
        AccessKey.IsPresented(request, access.ReadKey!)
        || (!string.IsNullOrEmpty(access.ApiKey) && AccessKey.IsPresented(request, access.ApiKey))
        || (cookieValue is not null && AccessKey.Matches(request.Cookies[CookieName], cookieValue));

    private static string SessionValue(string readKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(readKey), "hgcounter-dashboard-session"u8));
}
