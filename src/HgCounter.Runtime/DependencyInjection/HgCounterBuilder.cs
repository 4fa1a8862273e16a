using HgCounter.Runtime.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddHgCounter()</c>: adds detectors and sinks beyond the built-in ones.</summary>
public sealed class HgCounterBuilder
{
    internal HgCounterBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Declares a detector name cameras may use (its factory is registered separately as an <c>IDetectorFactory</c>).</summary>
    public HgCounterBuilder AddDetectorName(string name, bool requiresModelFile = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddOnce(new DetectorRegistration(name, requiresModelFile));
        return this;
    }

    /// <summary>Declares a sink type that configuration may name.</summary>
    public HgCounterBuilder AddSinkType(string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        AddOnce(new SinkRegistration(type));
        return this;
    }

    // Registrations are values: adding an equal one again (AddHgCounter called twice) is a no-op.
    private void AddOnce<T>(T registration)
        where T : class
    {
        if (!Services.Any(d => d.ServiceType == typeof(T) && Equals(d.ImplementationInstance, registration)))
        {
            Services.AddSingleton(registration);
        }
    }
}
