using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Connections;

/// <summary>Where and how a protocol listens: <see cref="ImplicitTls"/> for IMAPS, POP3S and submissions.</summary>
public sealed record ListenerSettings(IPEndPoint Endpoint, bool ImplicitTls);

/// <summary>
/// Accepts connections on one endpoint and runs a session of its protocol for each, within the per-address
/// connection limit. On shutdown every open connection is terminated, so clients hear why (IMAP BYE, 421).
/// </summary>
public sealed class MailListener
{
    private const string ShutdownReason = "The server is shutting down.";

    private readonly ListenerSettings _settings;
    private readonly IMailProtocol _protocol;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly ConnectionLimiter _limiter;
    private readonly ProtocolLimits _limits;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MailConnection, byte> _open = new();

    public MailListener(ListenerSettings settings, IMailProtocol protocol, SslStreamCertificateContext? certificate, ConnectionLimiter limiter, ProtocolLimits limits, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ImplicitTls && certificate is null)
        {
            throw new ArgumentException("Implicit TLS needs a certificate.", nameof(certificate));
        }

        _settings = settings;
        _protocol = protocol;
        _certificate = certificate;
        _limiter = limiter;
        _limits = limits;
        _logger = logger;
    }

    public IMailProtocol Protocol => _protocol;

    /// <summary>Binds now, so a port in use is reported at start-up rather than later.</summary>
    public Socket Bind()
    {
        var socket = new Socket(_settings.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_settings.Endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }

            // No ReuseAddress: on Linux .NET sets SO_REUSEPORT with it, and a second server would then share the
            // port and take some of its connections. A restart binds in spite of closed connections in TIME_WAIT anyway.
            socket.Bind(_settings.Endpoint);
            socket.Listen(512);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"{_protocol.Name} cannot listen on {_settings.Endpoint}: {ex.Message}", ex);
        }
    }

    /// <summary>Accepts until <paramref name="stopping"/>, then ends every open session.</summary>
    public async Task RunAsync(Socket listening, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(listening);
        _logger.LogInformation("{Protocol} listening on {Endpoint}{Tls}", _protocol.Name, _settings.Endpoint, _settings.ImplicitTls ? " (TLS)" : "");
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var socket = await listening.AcceptAsync(stopping).ConfigureAwait(false);
                socket.NoDelay = true;
                var connection = new MailConnection(socket, _certificate, _limits);
                _open[connection] = 0;
                _ = ServeAsync(connection);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            listening.Dispose();
            foreach (var connection in _open.Keys)
            {
                connection.Terminate(ShutdownReason);
            }

            for (var waited = 0; !_open.IsEmpty && waited < 50; waited++)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task ServeAsync(MailConnection connection)
    {
        await Task.Yield();
        var client = connection.ClientAddress;
        var entered = _limiter.TryEnter(client);
        try
        {
            if (_settings.ImplicitTls && !await connection.StartTlsAsync(null).ConfigureAwait(false))
            {
                _logger.LogDebug("{Protocol}: TLS handshake with {Client} failed", _protocol.Name, client);
                return;
            }

            if (!entered)
            {
                _logger.LogWarning("{Protocol}: refused {Client}: too many connections from that address", _protocol.Name, client);
                await connection.SendLineAsync(_protocol.Refusal("Too many connections from your address; try again later.")).ConfigureAwait(false);
                return;
            }

            await _protocol.RunAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A session must never take the server down; whatever escaped it ends this connection only.
            _logger.LogError(ex, "{Protocol}: session with {Client} failed", _protocol.Name, client);
        }
        finally
        {
            if (entered)
            {
                _limiter.Leave(client);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            _open.TryRemove(connection, out _);
        }
    }
}
