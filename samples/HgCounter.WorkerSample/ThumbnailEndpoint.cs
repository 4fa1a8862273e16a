using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.WorkerSample;

/// <summary>
/// <c>GET /api/snapshots/{id}.jpg</c>: the crossing thumbnail of the event whose <c>snapshot_id</c> is <c>id</c>. The id
/// must be a GUID, so no request can name a file outside the thumbnail folder. 400 for anything else, 404 when there is
/// no such thumbnail (off, dropped or removed by retention). A thumbnail never changes, so it may be cached.
/// </summary>
internal static class ThumbnailEndpoint
{
    public static IResult Handle(string id, HttpContext context, IOptions<HgCounterOptions> options)
    {
        if (!Guid.TryParseExact(id, "D", out var eventId))
        {
            return Results.Problem("The snapshot id must be an event id (a GUID such as 6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11).", statusCode: StatusCodes.Status400BadRequest);
        }

        var events = options.Value.Events;
        var path = Path.Combine(events.Snapshots.GetDirectory(events.OutboxPath), eventId.ToString("D") + ".jpg");
        if (!File.Exists(path))
        {
            return Results.Problem($"No thumbnail {eventId:D}.", statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.File(path, "image/jpeg");
    }
}
