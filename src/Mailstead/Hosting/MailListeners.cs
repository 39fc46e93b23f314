using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mailstead.Protocols;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Options;

namespace Mailstead.Hosting;

/// <summary>
/// The mail listeners of ARCHITECTURE.md §6, one per configured endpoint. Sockets are bound when the host starts,
/// so a port in use stops <c>serve</c> with a clear message instead of failing later.
/// </summary>
internal sealed class MailListeners(
    IServiceProvider services,
    IConfiguration configuration,
    X509Certificate2 certificate,
    ConnectionLimiter limiter,
    IOptions<ProtocolLimits> limits,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>Configuration key under <c>Mailstead:Endpoints</c>, its default, the protocol served (a keyed <see cref="IMailProtocol"/>), implicit TLS.</summary>
    public static readonly IReadOnlyList<(string Key, string Default, string Protocol, bool ImplicitTls)> Endpoints =
    [
        ("Smtp", "127.0.0.1:2525", MailProtocols.Mx, false),
        ("Submission", "127.0.0.1:1587", MailProtocols.Submission, false),
        ("Submissions", "127.0.0.1:1465", MailProtocols.Submission, true),
        ("Imap", "127.0.0.1:1143", MailProtocols.Imap, false),
        ("Imaps", "127.0.0.1:1993", MailProtocols.Imap, true),
        ("Pop3", "127.0.0.1:1110", MailProtocols.Pop3, false),
        ("Pop3s", "127.0.0.1:1995", MailProtocols.Pop3, true),
    ];

    private readonly List<(MailListener Listener, Socket Socket)> _bound = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Built once for every listener and connection: given only the certificate, each TLS handshake would build
        // its chain again.
        var tls = SslStreamCertificateContext.Create(certificate, additionalCertificates: null);
        foreach (var (key, fallback, name, implicitTls) in Endpoints)
        {
            var configKey = $"Mailstead:Endpoints:{key}";
            var endpoint = ListenAddress.Parse(configuration[configKey] ?? fallback, configKey);
            var protocol = services.GetKeyedService<IMailProtocol>(name);
            if (endpoint is null || protocol is null)
            {
                continue;
            }

            var listener = new MailListener(new ListenerSettings(endpoint, implicitTls), protocol, tls, limiter, limits.Value, loggers.CreateLogger($"Mailstead.{protocol.Name}"));
            _bound.Add((listener, listener.Bind()));
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_bound.Select(b => b.Listener.RunAsync(b.Socket, stoppingToken)));
}
