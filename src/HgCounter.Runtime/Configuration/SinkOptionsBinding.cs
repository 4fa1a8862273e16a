using HgCounter.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Binds each <c>HgCounter:Events:Sinks:N</c> section to the options type registered for its <c>Type</c>: the
/// configuration binder only knows the list's element type, <see cref="SinkOptions"/>, so it cannot bind a
/// <c>ConnectionString</c> or a <c>Url</c>. Entries made in code already have their type and are left alone.
/// </summary>
internal sealed class SinkOptionsBinding(IConfiguration sinksSection, IEnumerable<SinkRegistration> registrations) : IPostConfigureOptions<HgCounterOptions>
{
    private readonly SinkRegistration[] _registrations = [.. registrations];

    public void PostConfigure(string? name, HgCounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = options.Events.Sinks;
        var sections = sinksSection.GetChildren().ToList();
        // The binder filled the list from these sections in this order (sorted keys: 0, 1, 2, ..., 10).
        for (var i = 0; i < Math.Min(entries.Count, sections.Count); i++)
        {
            var entry = entries[i];
            if (entry is null || entry.GetType() != typeof(SinkOptions))
            {
                continue;
            }

            var registration = _registrations.FirstOrDefault(r => string.Equals(r.Type, entry.Type, StringComparison.OrdinalIgnoreCase));
            if (registration is not null && registration.OptionsType != typeof(SinkOptions)
                && sections[i].Get(registration.OptionsType) is SinkOptions typed)
            {
                entries[i] = typed;
            }
        }
    }
}
