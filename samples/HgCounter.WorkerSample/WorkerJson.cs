using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HgCounter.Runtime.Serialization;
using HgCounter.Status;

namespace HgCounter.WorkerSample;

/// <summary>One JSON shape for the API, the SSE stream and the dashboard: the library's contract (camelCase, enums as names).</summary>
internal static class WorkerJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The library's source-generated contract first; the worker's own small records fall back to reflection.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // A fresh options object has an empty chain (reflection is implied only while it stays empty); ASP.NET's
        // already holds the reflection resolver.
        if (options.TypeInfoResolverChain.Count == 0)
        {
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        options.TypeInfoResolverChain.Insert(0, HgCounterJson.TypeInfoResolver);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    /// <summary>The status snapshot with <c>"demo": true|false</c>, so no reader mistakes the demo scene's counts for real ones.</summary>
    public static byte[] Status(StatusSnapshot status, bool demo)
    {
        var node = JsonSerializer.SerializeToNode(status, HgCounterJson.StatusSnapshot)!.AsObject();
        node["demo"] = demo;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
