using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Runtime.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddHgCounter()</c>: adds detectors and sinks beyond the built-in ones.</summary>
public sealed class HgCounterBuilder
{
    internal HgCounterBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a detector that cameras may name in <c>Detector</c>.</summary>
    public HgCounterBuilder AddDetector<TFactory>(string name, Func<IServiceProvider, TFactory> factory, bool requiresModelFile = false)
        where TFactory : class, IDetectorFactory
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDetectorFactory, TFactory>(factory));
        if (!Services.Any(d => d.ServiceType == typeof(DetectorRegistration) && d.ImplementationInstance is DetectorRegistration r && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            Services.AddSingleton(new DetectorRegistration(name, requiresModelFile));
        }

        return this;
    }

    /// <summary>
    /// Adds a sink type that <c>HgCounter:Events:Sinks:N:Type</c> may name. An entry of that type is bound to
    /// <typeparamref name="TOptions"/> and validated with its data annotations, <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
    /// and nested <see cref="Microsoft.Extensions.Options.ValidateObjectMembersAttribute"/> members; <paramref name="create"/>
    /// builds one sink per entry.
    /// </summary>
    public HgCounterBuilder AddSink<TOptions>(string type, Func<IServiceProvider, TOptions, ICountEventSink> create)
        where TOptions : SinkOptions, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(create);
        if (!Services.Any(d => d.ServiceType == typeof(SinkRegistration) && d.ImplementationInstance is SinkRegistration r && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)))
        {
            Services.AddSingleton(new SinkRegistration(type, typeof(TOptions), (services, options) => create(services, (TOptions)options)));
        }

        return this;
    }
}
