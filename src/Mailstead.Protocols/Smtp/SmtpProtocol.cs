using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Smtp;

/// <summary>MX receives mail for local mailboxes from anyone; submission (RFC 6409) takes mail from signed-in users for anywhere.</summary>
internal enum SmtpMode
{
    Mx,
    Submission,
}

/// <summary>SMTP as a listener serves it: one <see cref="SmtpSession"/> per connection.</summary>
internal sealed class SmtpProtocol(SmtpMode mode, ISmtpBackend backend, IOptions<ProtocolLimits> limits, MessageMemory memory, IOptions<SmtpOptions> options, ILoggerFactory loggers) : IMailProtocol
{
    private readonly ILogger _logger = loggers.CreateLogger(mode == SmtpMode.Mx ? "Mailstead.Smtp" : "Mailstead.Submission");

    public string Name => mode == SmtpMode.Mx ? "SMTP" : "Submission";

    public Task RunAsync(MailConnection connection) =>
        new SmtpSession(connection, mode, backend, limits.Value, memory, options.Value.Hostname, _logger).RunAsync();

    // RFC 5321 §3.8: 421 may be sent at any time, the greeting included, when the server must close.
    public string Refusal(string reason) => $"421 4.7.0 {reason}";
}

internal static class SmtpServiceCollectionExtensions
{
    /// <summary>The MX and submission protocols, keyed as the listeners look them up.</summary>
    public static IServiceCollection AddMailsteadSmtp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISmtpBackend, SmtpBackend>();
        services.AddKeyedSingleton<IMailProtocol>(MailProtocols.Mx, (provider, _) => ActivatorUtilities.CreateInstance<SmtpProtocol>(provider, SmtpMode.Mx));
        services.AddKeyedSingleton<IMailProtocol>(MailProtocols.Submission, (provider, _) => ActivatorUtilities.CreateInstance<SmtpProtocol>(provider, SmtpMode.Submission));
        return services;
    }
}
