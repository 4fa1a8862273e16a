using System.Globalization;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// Measured figures of a fault test: printed to the test output (<c>dotnet test --logger "console;verbosity=detailed"</c>)
/// and, when <c>HGCOUNTER_FIGURES</c> names a file, appended to it as <c>test: figure</c> lines for docs/reliability.md.
/// </summary>
internal sealed class Figures(ITestOutputHelper output, string test)
{
    public void Record(string figure)
    {
        var line = $"{test}: {figure}";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("HGCOUNTER_FIGURES") is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }

    public void Durations(string what, IReadOnlyCollection<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var seconds = values.Select(v => v.TotalSeconds).Order().ToList();
        Record(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={seconds.Count} min={seconds[0]:0.00} s median={seconds[seconds.Count / 2]:0.00} s max={seconds[^1]:0.00} s"));
    }
}
