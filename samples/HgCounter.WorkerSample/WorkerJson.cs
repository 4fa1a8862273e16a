using System.Text.Json;
using System.Text.Json.Serialization;

namespace HgCounter.WorkerSample;

/// <summary>One JSON shape for the API, the SSE stream and the dashboard: camelCase, enums as names.</summary>
internal static class WorkerJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
