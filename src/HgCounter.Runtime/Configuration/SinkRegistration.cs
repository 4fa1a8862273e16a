namespace HgCounter.Runtime.Configuration;

/// <summary>Declares a sink type that <c>HgCounter:Events:Sinks:N:Type</c> may name; validation rejects any other.</summary>
/// <param name="Type">Type name, case-insensitive.</param>
public sealed record SinkRegistration(string Type);
