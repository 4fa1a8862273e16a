using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using HgCounter.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Reliability.Health;

/// <summary>
/// Runs the HgCounter checks (disk, memory, cpu, network, permissions and, with a watchdog, cameras) every <c>Interval</c>
/// once <see cref="Start"/> was called, keeps the last <c>HistorySize</c> results and reports the latest as a
/// <see cref="HealthSnapshot"/> whose overall status is the worst check. Each check is also an <see cref="IHealthCheck"/>
/// (<see cref="Checks"/>) registered by <c>AddHgCounterChecks()</c>. Thread-safe.
/// </summary>
public sealed partial class HealthChecker : IDisposable
{
    /// <summary>Name of the disk space check.</summary>
    public const string DiskCheck = "disk";

    /// <summary>Name of the memory check.</summary>
    public const string MemoryCheck = "memory";

    /// <summary>Name of the CPU check.</summary>
    public const string CpuCheck = "cpu";

    /// <summary>Name of the DNS and camera reachability check.</summary>
    public const string NetworkCheck = "network";

    /// <summary>Name of the write-access check.</summary>
    public const string PermissionsCheck = "permissions";

    /// <summary>Name of the watchdog's camera check.</summary>
    public const string CamerasCheck = "cameras";

    private readonly HealthCheckOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HgCounterMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly Queue<HealthSnapshot> _history = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _running;

    /// <summary>Creates the checker and its checks.</summary>
    /// <param name="options">Thresholds and schedule.</param>
    /// <param name="targets">Data directory, directories that must be writable, and cameras.</param>
    /// <param name="reader">CPU and memory readings.</param>
    /// <param name="files">Disk space access.</param>
    /// <param name="timeProvider">Clock and timer.</param>
    /// <param name="watchdog">When given, adds the <see cref="CamerasCheck"/>.</param>
    /// <param name="logger">Logger for status changes.</param>
    /// <param name="metrics">Optional health metrics.</param>
    internal HealthChecker(HealthCheckOptions options, HealthCheckTargets targets, IResourceReader reader, ISystemFiles files, TimeProvider timeProvider, RtspWatchdog? watchdog = null, ILogger<HealthChecker>? logger = null, HgCounterMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics;
        var checks = new Dictionary<string, IHealthCheck>(StringComparer.Ordinal)
        {
            [DiskCheck] = new DiskSpaceHealthCheck(targets.DataDirectory, _options, files),
            [MemoryCheck] = new MemoryHealthCheck(reader, _options),
            [CpuCheck] = new CpuHealthCheck(reader, _options),
            [NetworkCheck] = new NetworkHealthCheck(_options, targets.Cameras, timeProvider),
            [PermissionsCheck] = new FilePermissionsHealthCheck([targets.DataDirectory, .. targets.WritableDirectories]),
        };
        if (watchdog is not null)
        {
            checks[CamerasCheck] = new CameraHealthCheck(watchdog);
        }

        Checks = checks;
    }

    /// <summary>The checks by name.</summary>
    public IReadOnlyDictionary<string, IHealthCheck> Checks { get; }

    /// <summary>Tags of a check for the host's endpoints: <c>live</c> (restart the process if failing) and/or <c>ready</c> (able to count).</summary>
    public static IReadOnlyList<string> TagsOf(string check) => check switch
    {
        // Memory exhaustion is the one condition a restart can fix; everything else is about being able to count.
        MemoryCheck => [HgCounterHealthTags.All, HgCounterHealthTags.Live, HgCounterHealthTags.Ready],
        _ => [HgCounterHealthTags.All, HgCounterHealthTags.Ready],
    };

    /// <summary>Starts the periodic run (first run immediately, then every <c>Interval</c>). Idempotent.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _timer ??= _time.CreateTimer(static state => _ = ((HealthChecker)state!).RunInBackgroundAsync(), this, TimeSpan.Zero, _options.Interval);
        }
    }

    /// <summary>Runs every check once, stores and returns the result. A check that throws is Unhealthy with its (redacted) message.</summary>
    public async Task<HealthSnapshot> RunChecksAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<HealthCheckEntry>(Checks.Count);
        foreach (var (name, check) in Checks)
        {
            var context = new HealthCheckContext { Registration = new HealthCheckRegistration(name, check, HealthStatus.Unhealthy, TagsOf(name)) };
            HealthCheckEntry entry;
            try
            {
                var result = await check.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
                entry = new HealthCheckEntry(name, result.Status, Redactor.Redact(result.Description) ?? result.Status.ToString());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One failing check must not hide the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                entry = new HealthCheckEntry(name, HealthStatus.Unhealthy, Redactor.Redact($"check failed: {ex.GetType().Name}: {ex.Message}")!);
            }

            entries.Add(entry);
            _metrics?.RecordHealth(name, entry.Status);
        }

        var overall = entries.Count == 0 ? HealthStatus.Healthy : entries.Min(e => e.Status);
        var snapshot = new HealthSnapshot(_time.GetUtcNow(), overall, entries);
        HealthSnapshot? previous;
        lock (_lock)
        {
            previous = _history.Count > 0 ? _history.Last() : null;
            _history.Enqueue(snapshot);
            while (_history.Count > _options.HistorySize)
            {
                _history.Dequeue();
            }
        }

        if (overall == HealthStatus.Healthy)
        {
            // A first healthy run is not news; a return to healthy is, but not a warning.
            if (previous is not null && previous.Overall != overall)
            {
                LogHealthyAgain(_logger, previous.Overall);
            }
        }
        else if (previous is null || previous.Overall != overall)
        {
            LogOverall(_logger, overall, string.Join("; ", entries.Where(e => e.Status != HealthStatus.Healthy).Select(e => $"{e.Name}: {e.Message}")));
        }

        return snapshot;
    }

    /// <summary>The latest result (timestamp, overall, checks), or <c>null</c> before the first run.</summary>
    public HealthSnapshot? GetStatus()
    {
        lock (_lock)
        {
            return _history.Count > 0 ? _history.Last() : null;
        }
    }

    /// <summary>Stored results, oldest first (at most <c>HistorySize</c>).</summary>
    public IReadOnlyList<HealthSnapshot> GetHistory()
    {
        lock (_lock)
        {
            return [.. _history];
        }
    }

    /// <summary>Stops the periodic run and cancels a run in progress.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunInBackgroundAsync()
    {
        // A slow network probe must not stack runs on top of each other.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            await RunChecksAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // The background loop must survive any failure of one run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRunFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health is {Overall}: {Problems}")]
    private static partial void LogOverall(ILogger logger, HealthStatus overall, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health is Healthy again (was {Previous})")]
    private static partial void LogHealthyAgain(ILogger logger, HealthStatus previous);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
