namespace HgCounter.Testing;

/// <summary>One message a <see cref="MosquittoSubscriber"/> received.</summary>
/// <param name="Topic">Its topic.</param>
/// <param name="Payload">Its payload as text.</param>
/// <param name="Retained">Whether the broker delivered it as a retained message.</param>
public sealed record MqttMessage(string Topic, string Payload, bool Retained);
