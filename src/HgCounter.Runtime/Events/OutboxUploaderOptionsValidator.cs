using HgCounter.Configuration;
using HgCounter.Runtime.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Events;

/// <summary>Checks <see cref="OutboxUploaderOptions"/> at start-up, naming the full key (<c>HgCounter:Events:Delivery:MaxAttemptsPerEvent</c>).</summary>
internal sealed class OutboxUploaderOptionsValidator : IValidateOptions<OutboxUploaderOptions>
{
    private const string Key = HgCounterOptions.SectionName + ":" + OutboxUploaderOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, OutboxUploaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        OptionsAnnotations.Validate(options, Key, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
