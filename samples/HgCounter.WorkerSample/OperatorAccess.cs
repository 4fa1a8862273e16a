using System.Net;

namespace HgCounter.WorkerSample;

/// <summary>
/// Who may call an operator action. With <c>Worker:ApiKey</c> set: whoever presents it. Without: nobody while the
/// worker listens beyond loopback; otherwise a loopback connection that carries no forwarded headers (a proxy on this
/// machine relays other machines' requests, and the forwarded-headers middleware would rewrite the remote address from
/// them) and no foreign <c>Origin</c>.
/// </summary>
internal sealed class OperatorAccess(WorkerAccessOptions access, WorkerBinding binding)
{
    // X-Original-For is where the forwarded-headers middleware moves X-Forwarded-For once it has applied it.
    private static readonly string[] ForwardedHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-IP", "X-Original-For"];

    public IResult? Deny(HttpContext context)
    {
        if (!string.IsNullOrEmpty(access.ApiKey))
        {
            return AccessKey.IsPresented(context.Request, access.ApiKey) ? null : Results.Unauthorized();
        }

        if (!binding.IsLoopbackOnly)
        {
            return Forbidden("The worker listens beyond loopback: operator actions need Worker:ApiKey to be set.");
        }

        if (ForwardedHeaders.Any(context.Request.Headers.ContainsKey))
        {
            return Forbidden("Forwarded requests are not local: operator actions through a proxy need Worker:ApiKey.");
        }

        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return Forbidden("Operator actions from other machines need Worker:ApiKey to be set.");
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
            && string.Equals(originUri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return Forbidden("Cross-origin operator actions are refused.");
        }

        return null;
    }

    private static IResult Forbidden(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden);
}
