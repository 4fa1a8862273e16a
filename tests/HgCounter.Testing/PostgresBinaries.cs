using System.Diagnostics;

namespace HgCounter.Testing;

/// <summary>Finds the PostgreSQL server binaries installed on this machine; the major version differs between distributions.</summary>
public static class PostgresBinaries
{
    /// <summary>Where Debian and Ubuntu install each major version's server (<c>postgresql-15</c>, <c>postgresql-17</c>, …).</summary>
    public const string DebianRoot = "/usr/lib/postgresql";

    private static readonly string[] ServerTools = ["initdb", "pg_ctl"];

    /// <summary>
    /// <c>pg_config --bindir</c> when that directory holds <c>initdb</c> and <c>pg_ctl</c> (on Debian pg_config comes from
    /// libpq-dev and may name a version whose server is not installed), else the highest version under
    /// <see cref="DebianRoot"/> that holds them.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither has the server binaries; the message says what to install.</exception>
    public static string Find()
    {
        if (PgConfigBinDirectory() is { } configured && HasServerTools(configured))
        {
            return configured;
        }

        var versions = Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: Version(Path.GetFileName(d))))
                .Where(v => v.Version is not null && HasServerTools(v.Directory))
                .OrderByDescending(v => v.Version)
                .ToList()
            : [];
        return versions.Count > 0
            ? versions[0].Directory
            : throw new InvalidOperationException(
                $"No PostgreSQL server found: pg_config --bindir has no initdb/pg_ctl and {DebianRoot}/*/bin holds none. Install it (apt-get install postgresql, which scripts/run.sh bootstrap does).");
    }

    private static bool HasServerTools(string directory) => ServerTools.All(tool => File.Exists(Path.Combine(directory, tool)));

    // "15", "17", also "9.6" on old releases.
    private static Version? Version(string name) =>
        System.Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static string? PgConfigBinDirectory()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return null;
            }

            var directory = output.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0 && directory.Length > 0 ? directory : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }
}
