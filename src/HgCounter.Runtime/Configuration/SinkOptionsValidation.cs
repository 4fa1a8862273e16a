using HgCounter.Configuration;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Checks <c>HgCounter:Events:Sinks</c>: every entry names a registered type and carries that type's options, which
/// pass their own validation (annotations, <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).
/// A type that lives in a sink package not added names the package and the call that adds it.
/// </summary>
internal static class SinkOptionsValidation
{
    private const string SinksKey = HgCounterOptions.SectionName + ":Events:Sinks";

    // Sink types of the repository's own sink packages: without the package, start-up says what to add.
    private static readonly (string Type, string Package, string Call)[] PackagedSinks =
    [
        ("postgres", "HgCounter.Sinks.PostgreSql", ".AddPostgreSqlSink()"),
        ("mqtt", "HgCounter.Sinks.Mqtt", ".AddMqttSink()"),
    ];

    public static IEnumerable<string> Validate(IList<SinkOptions> sinks, IReadOnlyList<SinkRegistration> registrations)
    {
        var failures = new List<string>();
        for (var k = 0; k < sinks.Count; k++)
        {
            var sink = sinks[k];
            var key = $"{SinksKey}:{k}";
            if (sink is null)
            {
                failures.Add($"{key}: sink entry is empty.");
                continue;
            }

            OptionsAnnotations.Validate(sink, key, failures);
            if (string.IsNullOrWhiteSpace(sink.Type))
            {
                continue; // [Required] reported it.
            }

            var registration = registrations.FirstOrDefault(r => string.Equals(r.Type, sink.Type, StringComparison.OrdinalIgnoreCase));
            if (registration is null)
            {
                failures.Add(UnknownType(key, sink.Type, registrations));
            }
            else if (!registration.OptionsType.IsInstanceOfType(sink))
            {
                failures.Add($"{key}: a '{sink.Type}' sink takes {registration.OptionsType.Name}, not {sink.GetType().Name}; add a new {registration.OptionsType.Name} {{ ... }}.");
            }
        }

        return failures;
    }

    private static string UnknownType(string key, string type, IReadOnlyList<SinkRegistration> registrations)
    {
        foreach (var (packagedType, package, call) in PackagedSinks)
        {
            if (string.Equals(packagedType, type, StringComparison.OrdinalIgnoreCase))
            {
                return $"{key}:Type: sink type '{type}' is in the package {package}: add a reference to it and call {call} on the builder AddHgCounter() returns.";
            }
        }

        return $"{key}:Type: unknown sink type '{type}'; registered: {string.Join(", ", registrations.Select(r => r.Type))}.";
    }
}
