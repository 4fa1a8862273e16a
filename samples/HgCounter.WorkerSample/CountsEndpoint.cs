using System.Globalization;
using HgCounter.Runtime;

namespace HgCounter.WorkerSample;

/// <summary><c>GET /api/counts?camera=&amp;from=&amp;to=&amp;bucket=15m|1h|1d&amp;format=json|csv</c>: the count history; a bad parameter is a 400 naming it.</summary>
internal static class CountsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ICountHistory history)
    {
        var query = context.Request.Query;
        if (!TryTime(query["from"], out var from))
        {
            return Bad("from", "an ISO 8601 time with an offset, e.g. 2026-12-01T00:00:00Z");
        }

        if (!TryTime(query["to"], out var to) || to <= from)
        {
            return Bad("to", "an ISO 8601 time with an offset, after from");
        }

        var bucketText = query["bucket"].ToString();
        var size = CountBucketSize.Hour;
        if (bucketText.Length > 0 && !CountBucketSizeText.TryParse(bucketText, out size))
        {
            return Bad("bucket", CountBucketSizeText.Accepted);
        }

        var format = query["format"].ToString();
        if (format.Length > 0 && format is not ("json" or "csv"))
        {
            return Bad("format", "json or csv");
        }

        var camera = query["camera"].ToString();
        var rows = await history.QueryAsync(camera.Length == 0 ? null : camera, from, to, size, context.RequestAborted);
        if (format != "csv")
        {
            return Results.Json(rows, WorkerJson.Options);
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        await CountHistoryCsv.WriteAsync(text, rows, context.RequestAborted);
        return Results.Text(text.ToString(), "text/csv; charset=utf-8");
    }

    private static IResult Bad(string parameter, string expected) =>
        Results.Problem($"Query parameter '{parameter}' is missing or invalid: expected {expected}.", statusCode: StatusCodes.Status400BadRequest);

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
