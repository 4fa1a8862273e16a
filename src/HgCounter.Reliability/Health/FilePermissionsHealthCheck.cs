using HgCounter.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>
/// Write access to the data and outbox directories: creates each directory if missing, writes and deletes a probe file.
/// Any failure is Unhealthy (events could not be stored).
/// </summary>
internal sealed class FilePermissionsHealthCheck(IEnumerable<string> directories) : IHealthCheck
{
    private readonly IReadOnlyList<string> _directories = directories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var directory in _directories)
        {
            var probe = Path.Combine(directory, $".hgcounter-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(directory);
                await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{directory}: {ex.GetType().Name} {ex.Message}");
            }
        }

        return failures.Count == 0
            ? HealthCheckResult.Healthy("writable: " + string.Join(", ", _directories))
            : HealthCheckResult.Unhealthy(Redactor.Redact("not writable: " + string.Join("; ", failures)));
    }
}
