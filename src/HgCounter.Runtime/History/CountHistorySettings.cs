using HgCounter.Configuration;

namespace HgCounter.Runtime.History;

/// <summary>What the outbox needs to keep the count history in its file: retention and the zone the buckets are cut in.</summary>
internal sealed record CountHistorySettings(CountHistoryOptions Options, TimeZoneInfo Zone);
