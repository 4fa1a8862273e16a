using System.Diagnostics;

namespace HgCounter.Testing;

/// <summary>
/// <c>mosquitto_sub</c> on a <see cref="MosquittoBroker"/>: an independent client (not the library under test) that
/// collects every message on a topic filter at QoS 1, in a persistent session, so messages published while it was cut
/// off by a broker restart still reach it. Dispose kills it.
/// </summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<MqttMessage> _messages = [];
    private readonly StringWriterTail _stderr = new();

    private MosquittoSubscriber(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => _stderr.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What arrived so far.</summary>
    public IReadOnlyList<MqttMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The client's error output (connection problems).</summary>
    public string Errors => _stderr.ToString();

    /// <summary>Subscribes to <paramref name="topicFilter"/>; returns once the subscription stands (checked with a probe message).</summary>
    public static async Task<MosquittoSubscriber> StartAsync(MosquittoBroker broker, string topicFilter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var info = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-u", MosquittoBroker.UserName, "-P", MosquittoBroker.Password, "-q", "1", "-c", "-i", "sub-" + Guid.NewGuid().ToString("N")[..12],
            "-t", topicFilter, "-t", "probe/" + ProbeTopic, "-F", "%r\t%t\t%p"])
        {
            info.ArgumentList.Add(argument);
        }

        var subscriber = new MosquittoSubscriber(Process.Start(info) ?? throw new InvalidOperationException("mosquitto_sub did not start"));
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(TimeSpan.FromSeconds(30));
            while (!subscriber.Messages.Any(m => m.Topic.StartsWith("probe/", StringComparison.Ordinal)))
            {
                if (subscriber._process.HasExited)
                {
                    throw new InvalidOperationException($"mosquitto_sub exited: {subscriber.Errors}");
                }

                await MosquittoBroker.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-u", MosquittoBroker.UserName, "-P", MosquittoBroker.Password, "-t", "probe/" + ProbeTopic, "-m", "probe"], bound.Token);
                await Task.Delay(200, bound.Token);
            }

            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }
    }

    private static string ProbeTopic { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Waits until <paramref name="condition"/> holds for the messages so far, or fails after <paramref name="timeout"/> with what arrived.</summary>
    public async Task<IReadOnlyList<MqttMessage>> WaitForAsync(Func<IReadOnlyList<MqttMessage>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        while (true)
        {
            var messages = Messages;
            if (condition(messages))
            {
                return messages;
            }

            try
            {
                await Task.Delay(100, bound.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"not within {timeout}: {messages.Count} messages so far, last: {string.Join(" | ", messages.TakeLast(5).Select(m => m.Topic + " " + m.Payload))}; mosquitto_sub: {Errors}");
            }
        }
    }

    private void Add(string? line)
    {
        var parts = line?.Split('\t', 3);
        if (parts is not { Length: 3 })
        {
            return;
        }

        lock (_messages)
        {
            _messages.Add(new MqttMessage(parts[1], parts[2], parts[0] == "1"));
        }
    }

    /// <summary>Kills the client.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
