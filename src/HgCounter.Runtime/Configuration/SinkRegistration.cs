using HgCounter.Configuration;
using HgCounter.Events;

namespace HgCounter.Runtime.Configuration;

/// <summary>Declares a sink type that <c>HgCounter:Events:Sinks:N:Type</c> may name, its options type and how to create it.</summary>
/// <param name="Type">Type name, case-insensitive.</param>
/// <param name="OptionsType">The <see cref="SinkOptions"/> type an entry of this type is bound to and validated as.</param>
/// <param name="Create">Creates the sink for one configured entry (an instance of <paramref name="OptionsType"/>).</param>
internal sealed record SinkRegistration(string Type, Type OptionsType, Func<IServiceProvider, SinkOptions, ICountEventSink> Create);
