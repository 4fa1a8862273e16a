using System.Globalization;
using HgCounter.Runtime;
using HgCounter.Snapshots;

namespace HgCounter.WorkerSample;

/// <summary>
/// <c>GET /api/cameras/{name}/snapshot.jpg?overlay=true|false&amp;width=N</c>: the camera's latest frame as JPEG, with its
/// lines, zones and tracks drawn unless <c>overlay=false</c>. 404 for an unknown camera, 503 with Retry-After while the
/// camera has no frame yet, 400 naming a bad parameter. Never cached: every request shows the current picture.
/// </summary>
internal static class SnapshotEndpoint
{
    private const string RetryAfterSeconds = "2";

    public static async Task<IResult> HandleAsync(string name, HttpContext context, ICounterAgent agent)
    {
        var query = context.Request.Query;
        var options = new SnapshotOptions();
        var overlay = query["overlay"].ToString();
        if (overlay.Length > 0)
        {
            if (!bool.TryParse(overlay, out var draw))
            {
                return Bad("overlay", "true or false");
            }

            options.Overlay = draw;
        }

        var width = query["width"].ToString();
        if (width.Length > 0)
        {
            if (!int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) || pixels is < 16 or > 16384)
            {
                return Bad("width", "a whole number of pixels from 16 to 16384");
            }

            options.MaxWidth = pixels;
        }

        context.Response.Headers.CacheControl = "no-store";
        try
        {
            var snapshot = await agent.GetSnapshotAsync(name, options, context.RequestAborted);
            context.Response.Headers["X-Captured-At"] = snapshot.CapturedAt.ToString("O", CultureInfo.InvariantCulture);
            return Results.Bytes(snapshot.Jpeg, "image/jpeg");
        }
        catch (CameraNotFoundException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (SnapshotUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Bad(string parameter, string expected) =>
        Results.Problem($"Query parameter '{parameter}' is invalid: expected {expected}.", statusCode: StatusCodes.Status400BadRequest);
}
