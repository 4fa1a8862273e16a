using HgCounter.Configuration;
using HgCounter.Runtime.History;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Checks the whole <see cref="HgCounterOptions"/> tree at start-up: the data annotations through the generated
/// <see cref="HgCounterOptionsAnnotations"/>, then the rules annotations cannot express. Every failure names the full
/// configuration key (<c>HgCounter:Cameras:1:Url</c>) and never contains credentials.
/// </summary>
internal sealed class HgCounterOptionsValidator : IValidateOptions<HgCounterOptions>
{
    private static readonly HgCounterOptionsAnnotations Annotations = new();
    private readonly IReadOnlyList<DetectorRegistration> _detectors;
    private readonly IReadOnlyList<SinkRegistration> _sinks;

    /// <summary>Creates the validator with the detector names and sink types that are registered.</summary>
    public HgCounterOptionsValidator(IEnumerable<DetectorRegistration> detectors, IEnumerable<SinkRegistration> sinks)
    {
        _detectors = [.. detectors];
        _sinks = [.. sinks];
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HgCounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The section name as the options name makes the generated messages' paths start where the keys do.
        var failures = (Annotations.Validate(HgCounterOptions.SectionName, options).Failures ?? []).Select(ConfigurationKey.Rewrite).ToList();
        CameraRules.Check(options.Cameras, failures);
        DetectorRules.Check(options, _detectors, failures);
        OrderedBoundsRules.Check(options, failures);
        if (!TimeZoneSetting.TryResolve(options.TimeZone, TimeProvider.System, out _, out var zoneProblem))
        {
            failures.Add(zoneProblem);
        }

        failures.AddRange(SinkOptionsValidation.Validate(options.Events.Sinks, _sinks)); // each sink validates its own settings
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
