using HgCounter.Configuration;
using HgCounter.Security;

namespace HgCounter.Runtime.Configuration;

/// <summary>Each sink entry: its annotations, a registered type, and the setting its type needs.</summary>
internal static class SinkRules
{
    private static readonly SinkOptionsAnnotations Annotations = new();
    private static readonly JsonlRotationOptionsAnnotations RotationAnnotations = new();

    public static void Check(EventOptions events, IReadOnlyList<SinkRegistration> sinks, List<string> failures)
    {
        for (var k = 0; k < events.Sinks.Count; k++)
        {
            var sink = events.Sinks[k];
            var key = $"{HgCounterOptions.SectionName}:Events:Sinks:{k}";
            if (sink is null)
            {
                failures.Add($"{key}: sink entry is empty.");
                continue;
            }

            var path = ConfigurationKey.ToMemberPath(key);
            failures.AddRange((Annotations.Validate(path, sink).Failures ?? []).Select(ConfigurationKey.Rewrite));
            if (sink.Rotation is { } rotation)
            {
                failures.AddRange((RotationAnnotations.Validate(path + ".Rotation", rotation).Failures ?? []).Select(ConfigurationKey.Rewrite));
            }

            if (string.IsNullOrWhiteSpace(sink.Type))
            {
                continue; // [Required] reports it.
            }

            if (!sinks.Any(s => string.Equals(s.Type, sink.Type, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{key}:Type: unknown sink type '{sink.Type}'; registered: {string.Join(", ", sinks.Select(s => s.Type))}.");
                continue;
            }

            switch (sink.Type.ToLowerInvariant())
            {
                case "postgres" when string.IsNullOrWhiteSpace(sink.ConnectionString):
                    failures.Add($"{key}:ConnectionString: required for a postgres sink.");
                    break;
                case "http" when !Uri.TryCreate(sink.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps):
                    failures.Add($"{key}:Url: an http sink needs an absolute http(s) URL, got '{Redactor.Redact(sink.Url) ?? "nothing"}'.");
                    break;
                case "jsonl" when string.IsNullOrWhiteSpace(sink.Path):
                    failures.Add($"{key}:Path: required for a jsonl sink.");
                    break;
            }
        }
    }
}
