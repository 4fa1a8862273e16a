using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace HgCounter.Testing;

/// <summary>
/// A real, private MQTT broker for tests: Debian's <c>mosquitto</c> with its own config file on a free 127.0.0.1 port,
/// a password file made with <c>mosquitto_passwd</c> and anonymous access refused. It can be stopped and started again
/// on the same port (outage tests); with <c>persistent</c> it keeps sessions and queued QoS 1 messages across that
/// restart, as a production broker does. The owned process is killed on dispose.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    /// <summary>The one user the password file knows.</summary>
    public const string UserName = "hgcounter";

    /// <summary>Its password: distinctive, so a test can look for it in logs and errors.</summary>
    public const string Password = "Br0ker-Secr3t-9f4e";

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

    private readonly StringWriterTail _output = new();
    private Process? _process;

    private readonly bool _tls;

    private MosquittoBroker(string directory, int port, bool tls)
    {
        RootDirectory = directory;
        Port = port;
        _tls = tls;
    }

    /// <summary>Temporary directory with the config, password file and persistence file.</summary>
    public string RootDirectory { get; }

    /// <summary>TCP port on 127.0.0.1, the same across restarts.</summary>
    public int Port { get; }

    /// <summary>The broker URL with the right credentials, as a sink's <c>Server</c> takes it.</summary>
    public string ServerUrl => Url(Password);

    /// <summary>The broker URL with <paramref name="password"/> (<c>mqtts://</c> for a TLS broker).</summary>
    public string Url(string password) => string.Create(CultureInfo.InvariantCulture, $"{(_tls ? "mqtts" : "mqtt")}://{UserName}:{password}@127.0.0.1:{Port}");

    /// <summary>Pid of the broker while it runs.</summary>
    public int? Pid => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>The broker's last output lines (read them when a test fails).</summary>
    public string Output => _output.ToString();

    /// <summary>Writes the config and password file and starts the broker.</summary>
    /// <param name="cancellationToken">Bounds the start.</param>
    /// <param name="persistent">Keep sessions and queued messages across <see cref="StopAsync"/>/<see cref="StartAsync"/>.</param>
    /// <param name="tls">Listen with TLS only, with a certificate for 127.0.0.1 signed by a CA of its own (<see cref="CaCertificateFile"/>).</param>
    public static async Task<MosquittoBroker> CreateAsync(CancellationToken cancellationToken, bool persistent = false, bool tls = false)
    {
        var broker = new MosquittoBroker(TestPaths.NewTempDirectory("hgcounter-mqtt"), FreePort.Next(), tls);
        try
        {
            var passwords = Path.Combine(broker.RootDirectory, "passwords");
            await RunAsync("mosquitto_passwd", ["-b", "-c", passwords, UserName, Password], cancellationToken);
            var config = new List<string>
            {
                $"listener {broker.Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
                "allow_anonymous false",
                $"password_file {passwords}",
                $"persistence {(persistent ? "true" : "false")}",
                "log_dest stdout",
            };
            if (persistent)
            {
                config.Add($"persistence_location {broker.RootDirectory}/");
            }

            if (tls)
            {
                await broker.MakeCertificatesAsync(cancellationToken);
                config.Add($"cafile {broker.CaCertificateFile}");
                config.Add($"certfile {Path.Combine(broker.RootDirectory, "server.pem")}");
                config.Add($"keyfile {Path.Combine(broker.RootDirectory, "server.key")}");
            }

            if (Environment.UserName == "root")
            {
                // mosquitto switches to the 'mosquitto' user when started as root, which cannot read this directory.
                config.Add("user root");
            }

            await File.WriteAllLinesAsync(broker.ConfigFile, config, cancellationToken);
            await broker.StartAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    private string ConfigFile => Path.Combine(RootDirectory, "mosquitto.conf");

    /// <summary>The PEM certificate of the CA that signed a TLS broker's certificate.</summary>
    public string CaCertificateFile => Path.Combine(RootDirectory, "ca.pem");

    private async Task MakeCertificatesAsync(CancellationToken cancellationToken)
    {
        string In(string name) => Path.Combine(RootDirectory, name);
        await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=HgCounter test CA",
            "-keyout", In("ca.key"), "-out", CaCertificateFile], cancellationToken);
        await RunAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", In("server.key"), "-out", In("server.csr")], cancellationToken);
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1\n", cancellationToken);
        await RunAsync("openssl", ["x509", "-req", "-in", In("server.csr"), "-CA", CaCertificateFile, "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", In("server.ext"), "-out", In("server.pem")], cancellationToken);
    }

    /// <summary>Starts the broker (again); returns once it accepts TCP connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfigFile);
        var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StartBound);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {_output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, bound.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, bound.Token);
            }
        }
    }

    /// <summary>Stops the broker (SIGTERM: it saves its persistence file and closes every connection) and waits for it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        await ProcessSignals.TerminateAsync(process.Id);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StartBound);
        await process.WaitForExitAsync(bound.Token);
        process.Dispose();
        _process = null;
    }

    /// <summary>Kills the broker if it runs and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(bound.Token);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
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

    // The arguments stay out of a failure message: mosquitto_passwd gets the password on its command line.
    internal static Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        BoundedCommand.RunAsync(fileName, arguments, fileName, StartBound, cancellationToken);
}
