using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Testing;

/// <summary>
/// A real, private PostgreSQL server for tests (whichever major version the machine has, see <see cref="BinDirectory"/>): <c>initdb</c> and <c>pg_ctl</c> run as the <c>postgres</c> user
/// (initdb refuses root) in a temporary directory owned by that user, listening on a free 127.0.0.1 port with trust
/// authentication. It can be stopped and started again on the same port and data (outage tests) and is always stopped
/// on dispose, leaving no postgres process behind.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>
    /// The server binaries (<c>initdb</c>, <c>pg_ctl</c>): <c>pg_config --bindir</c> when that directory has them, else the
    /// highest version under <c>/usr/lib/postgresql/*/bin</c> (Debian 12 ships 15, Debian 13 ships 17).
    /// </summary>
    /// <exception cref="InvalidOperationException">No PostgreSQL server is installed.</exception>
    public static string BinDirectory => LazyBinDirectory.Value;

    /// <summary>The superuser initdb creates (trust authentication: any password is accepted).</summary>
    public const string UserName = "hgcounter";

    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(90);
    private static readonly Lazy<string> LazyBinDirectory = new(PostgresBinaries.Find);

    private readonly bool _durable;

    private PostgresServer(string directory, int port, bool durable)
    {
        RootDirectory = directory;
        Port = port;
        _durable = durable;
    }

    /// <summary>Temporary directory holding the data directory, the socket and the server log.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The server log (read it when a test fails).</summary>
    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>TCP port on 127.0.0.1; the same across <see cref="StopAsync"/> and <see cref="StartAsync(CancellationToken)"/>.</summary>
    public int Port { get; }

    /// <summary>Pid of the postmaster while it runs, else the last one (to check it is gone).</summary>
    public int? PostmasterPid { get; private set; }

    /// <summary>Npgsql connection string to the <c>postgres</c> database (no pooling, short connect timeout).</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={UserName};Database=postgres;Pooling=false;Timeout=5";

    /// <summary>Whether the postmaster process is alive (it is not our child: pg_ctl daemonises it, so /proc is asked).</summary>
    public bool IsRunning => PostmasterPid is { } pid && ProcessTable.IsAlive(pid);

    /// <summary>Creates a cluster in a new temporary directory and starts it.</summary>
    /// <param name="cancellationToken">Bounds initdb and the start.</param>
    /// <param name="durable">Run with <c>fsync=on</c>, as production does (exactly-once proofs); off by default for speed.</param>
    public static async Task<PostgresServer> CreateAsync(CancellationToken cancellationToken, bool durable = false)
    {
        var server = new PostgresServer(TestPaths.NewTempDirectory("hgcounter-pg"), FreePort.Next(), durable);
        try
        {
            await RunAsync("chown", ["postgres:postgres", server.RootDirectory], cancellationToken);
            await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, "initdb"),
                "-D", server.DataDirectory, "-A", "trust", "-U", UserName, "-E", "UTF8", "--no-sync"], cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and data directory; returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // fsync off unless durable: a test cluster need not survive a power cut, and a loaded CI disk makes fsync slow.
        var fsync = _durable ? "on" : "off";
        var serverOptions = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {RootDirectory} -c listen_addresses=127.0.0.1 -c fsync={fsync}";
        await PgCtlAsync(["-l", LogFile, "-o", serverOptions, "-w", "-t", "60", "start"], cancellationToken);
        var pidLine = (await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken))[0];
        PostmasterPid = int.Parse(pidLine, CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut, as in a real outage).</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        PgCtlAsync(["-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);

    /// <summary>Stops the server if it runs (killing it if it does not stop in time) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await PgCtlAsync(["-m", "immediate", "-w", "-t", "20", "stop"], bound.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // Fall through to the kill below.
            }

            if (PostmasterPid is { } pid && !await ProcessTable.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)))
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
        }

        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private Task PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, .. arguments], cancellationToken);

    private static Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        BoundedCommand.RunAsync(fileName, arguments, $"{fileName} {string.Join(' ', arguments)}", CommandBound, cancellationToken);
}
