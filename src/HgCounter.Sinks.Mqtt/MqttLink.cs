using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Security;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// One sink's connection to the broker, opened on demand (by a delivery or a state publication) and again after it
/// drops. Every connection carries the last will <c>offline</c> on the availability topic; once open it publishes
/// <c>online</c>, the discovery configs and the whole retained state, so a broker that restarted empty is whole again.
/// Failures are <see cref="SinkDeliveryException"/>s with the broker's address redacted.
/// </summary>
internal sealed partial class MqttLink : IAsyncDisposable
{
    public const string Online = "online";
    public const string Offline = "offline";

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly MqttServerAddress _server;
    private readonly MqttTopics _topics;
    private readonly Func<IReadOnlyList<(string Topic, string Payload)>> _onConnect;
    private readonly string _name;
    private readonly string _serverKey;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private string? _lastFailure;
    private bool _disposed;

    /// <param name="options">The sink's options (already validated).</param>
    /// <param name="topics">The sink's topics.</param>
    /// <param name="configurationKey">The sink's configuration key (<c>HgCounter:Events:Sinks:N</c>), named in configuration errors.</param>
    /// <param name="onConnect">The retained messages to publish on every new connection after <c>online</c>.</param>
    /// <param name="logger">Connection logs (address redacted).</param>
    public MqttLink(MqttSinkOptions options, MqttTopics topics, string configurationKey, Func<IReadOnlyList<(string Topic, string Payload)>> onConnect, ILogger logger)
    {
        _name = options.Name ?? options.Type;
        if (!MqttServerAddress.TryParse(options.Server, out _server, out var error))
        {
            throw new ArgumentException($"Sink '{_name}': {configurationKey}:Server: {error}.", nameof(options));
        }

        _topics = topics;
        _onConnect = onConnect;
        _serverKey = configurationKey + ":Server";
        _logger = logger;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_server.Host, _server.Port)
            .WithClientId(options.ClientId ?? DefaultClientId(topics.WorkerId, options.Name))
            .WithCleanSession(true)
            .WithTimeout(options.Timeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithWillTopic(topics.Availability)
            .WithWillPayload(Offline)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_server.UserName is not null)
        {
            builder.WithCredentials(_server.UserName, _server.Password);
        }

        if (_server.UseTls)
        {
            var trustChain = options.CaCertificateFile is { } ca ? LoadTrustChain(ca, configurationKey) : null;
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_server.Host);
                if (trustChain is not null)
                {
                    tls.WithTrustChain(trustChain);
                }

                if (options.AllowUntrustedCertificates)
                {
                    tls.WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => true);
                }
            });
        }

        _clientOptions = builder.Build();
        _client = new MqttClientFactory().CreateMqttClient();
    }

    private static X509Certificate2Collection LoadTrustChain(string file, string configurationKey)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{configurationKey}:CaCertificateFile: '{file}' is not a readable PEM certificate file: {ex.Message}", ex);
        }

        return chain.Count > 0 ? chain : throw new ArgumentException($"{configurationKey}:CaCertificateFile: '{file}' holds no PEM certificate.");
    }

    /// <summary>The broker without credentials.</summary>
    public string Server => _server.Display;

    public bool IsConnected => _client.IsConnected;

    /// <summary>The default client id: the same for the same worker and sink name on every start (the broker then replaces a stale session of a killed process).</summary>
    public static string DefaultClientId(string workerId, string? sinkName) =>
        sinkName is null ? $"hgcounter-{workerId}" : $"hgcounter-{workerId}-{sinkName}";

    /// <summary>Publishes at QoS 1 and returns once the broker acknowledged it (PUBACK), connecting first when needed.</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken);
        try
        {
            await PublishConnectedAsync(topic, payload, retain, cancellationToken);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw Failure($"publish to {Server} failed: {ex.Message}", SinkFailureKind.Transient, ex);
        }
    }

    // What a dropped or dead connection throws; the next attempt connects again.
    private static bool IsConnectionFailure(Exception ex) => ex is MqttCommunicationException or SocketException or IOException;

    public Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken) =>
        PublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(payload), retain, cancellationToken);

    /// <summary>Connects when not connected; a fresh connection publishes <c>online</c>, discovery and the retained state first.</summary>
    public async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_client.IsConnected)
        {
            return;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_client.IsConnected)
            {
                return;
            }

            await ConnectAsync(cancellationToken);
            try
            {
                await PublishConnectedAsync(_topics.Availability, System.Text.Encoding.UTF8.GetBytes(Online), retain: true, cancellationToken);
                foreach (var (topic, payload) in _onConnect())
                {
                    await PublishConnectedAsync(topic, System.Text.Encoding.UTF8.GetBytes(payload), retain: true, cancellationToken);
                }
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                throw Logged(Failure($"connected to {Server} but lost it while publishing the state: {ex.Message}", SinkFailureKind.Transient, ex));
            }

            if (Interlocked.Exchange(ref _lastFailure, null) is not null)
            {
                LogConnected(_logger, _name, Server);
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.ConnectAsync(_clientOptions, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw Refused(result.ResultCode, null);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Logged(Failure($"{Server} did not answer within {_clientOptions.Timeout}", SinkFailureKind.Transient, ex));
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw Logged(Failure($"cannot connect to {Server}: {ex.Message}", SinkFailureKind.Transient, ex));
        }
    }

    private SinkDeliveryException Refused(MqttClientConnectResultCode code, Exception? inner) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadAuthenticationMethod =>
            Logged(Failure($"{Server} refused the user name or password ({code}); fix the credentials in {_serverKey}. Events wait in the outbox", SinkFailureKind.Configuration, inner)),
        MqttClientConnectResultCode.ClientIdentifierNotValid or MqttClientConnectResultCode.UnsupportedProtocolVersion or MqttClientConnectResultCode.Banned =>
            Logged(Failure($"{Server} refused the connection ({code}); check ClientId and the broker's configuration for {_serverKey}. Events wait in the outbox", SinkFailureKind.Configuration, inner)),
        _ => Logged(Failure($"{Server} refused the connection ({code})", SinkFailureKind.Transient, inner)),
    };

    private async Task PublishConnectedAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            return;
        }

        var kind = result.ReasonCode is MqttClientPublishReasonCode.NotAuthorized or MqttClientPublishReasonCode.TopicNameInvalid
            ? SinkFailureKind.Configuration
            : SinkFailureKind.Transient;
        throw Failure($"{Server} did not accept a message on {topic} ({result.ReasonCode})", kind, null);
    }

    private SinkDeliveryException Failure(string detail, SinkFailureKind kind, Exception? inner) =>
        new($"MQTT sink '{_name}' failed: {Redactor.RedactWith(detail, _server.Secrets)}", kind, inner);

    // Said once per distinct problem, not on every retry.
    private SinkDeliveryException Logged(SinkDeliveryException failure)
    {
        if (!string.Equals(Interlocked.Exchange(ref _lastFailure, failure.Message), failure.Message, StringComparison.Ordinal))
        {
            if (failure.Kind == SinkFailureKind.Configuration)
            {
                LogConfigurationError(_logger, _name, failure.Message);
            }
            else
            {
                LogUnreachable(_logger, _name, failure.Message);
            }
        }

        return failure;
    }

    /// <summary>Says <c>offline</c> (retained) and disconnects cleanly, within a short bound; a killed process leaves it to the last will.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_client.IsConnected)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await PublishConnectedAsync(_topics.Availability, System.Text.Encoding.UTF8.GetBytes(Offline), retain: true, bound.Token);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), bound.Token);
            }
            catch (Exception ex) when (IsConnectionFailure(ex) || ex is OperationCanceledException or SinkDeliveryException)
            {
                // Shutting down: the last will says offline instead.
            }
        }

        _client.Dispose();
        _connectGate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink}: the broker refuses the configuration; events wait in the outbox and are retried with backoff: {Reason}")]
    private static partial void LogConfigurationError(ILogger logger, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink}: the broker is unreachable; events wait in the outbox: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink}: connected to {Server} again")]
    private static partial void LogConnected(ILogger logger, string sink, string server);
}
