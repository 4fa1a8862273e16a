using HgCounter.Configuration;
using HgCounter.Runtime.Configuration;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>Retention and rotation settings out of range fail start-up naming the full key.</summary>
public class RetentionOptionsValidationTests
{
    private static string Failures(Action<HgCounterOptions> configure)
    {
        var options = new HgCounterOptions();
        configure(options);
        var result = new HgCounterOptionsValidator([], []).Validate(null, options);
        return string.Join('\n', result.Failures ?? []);
    }

    [Fact]
    public void Validate_RetentionOutOfRange_FailsNamingEachKey()
    {
        var failures = Failures(o =>
        {
            o.Events.RetainUndelivered.MaxMegabytes = 0;
            o.Events.RetainUndelivered.MaxAge = TimeSpan.FromMinutes(1);
            o.Events.RetainPoison.MaxEvents = 0;
            o.Events.Sinks.Add(new JsonlSinkOptions { Type = "jsonl", Path = "events.jsonl", Rotation = { RetainFiles = 0, MaxFileMegabytes = 0 } });
        });

        failures.Should().Contain("HgCounter:Events:RetainUndelivered:MaxMegabytes")
            .And.Contain("HgCounter:Events:RetainUndelivered:MaxAge")
            .And.Contain("HgCounter:Events:RetainPoison:MaxEvents")
            .And.Contain("HgCounter:Events:Sinks:0:Rotation:RetainFiles")
            .And.Contain("HgCounter:Events:Sinks:0:Rotation:MaxFileMegabytes");
    }

    [Fact]
    public void Validate_Defaults_NoRetentionFailure()
    {
        Failures(_ => { }).Should().NotContain("Retain").And.NotContain("Rotation");
    }
}
