namespace HgCounter.WorkerSample;

/// <summary>Whether this run counts the generated demo scene instead of cameras: shown in the log, the status and the page.</summary>
internal sealed record WorkerMode(bool IsDemo);
