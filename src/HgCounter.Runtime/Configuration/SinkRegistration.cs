using HgCounter.Configuration;
using HgCounter.Events;

namespace HgCounter.Runtime.Configuration;

/// <summary>Declares a sink type that <c>HgCounter:Events:Sinks:N:Type</c> may name, and how to create it.</summary>
/// <param name="Type">Type name, case-insensitive.</param>
/// <param name="Create">Creates the sink for one configured entry.</param>
public sealed record SinkRegistration(string Type, Func<IServiceProvider, SinkOptions, ICountEventSink> Create);
