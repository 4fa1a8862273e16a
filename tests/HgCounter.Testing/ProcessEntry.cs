namespace HgCounter.Testing;

/// <summary>One process in the process table: id and command line (arguments joined by spaces).</summary>
/// <param name="Pid">Process id.</param>
/// <param name="CommandLine">Command line.</param>
public sealed record ProcessEntry(int Pid, string CommandLine);
