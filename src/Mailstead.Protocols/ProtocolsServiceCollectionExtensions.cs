using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap;
using Mailstead.Protocols.Pop3;
using Mailstead.Protocols.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Protocols;

/// <summary>Keys of the <see cref="IMailProtocol"/> services the listeners serve.</summary>
public static class MailProtocols
{
    public const string Mx = "Mx";
    public const string Submission = "Submission";
    public const string Imap = "Imap";
    public const string Pop3 = "Pop3";
}

public static class ProtocolsServiceCollectionExtensions
{
    /// <summary>The mail protocols and their shared plumbing; the executable binds them to endpoints.</summary>
    public static IServiceCollection AddMailsteadProtocols(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ProtocolLimits>(configuration.GetSection(ProtocolLimits.Section));
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<MessageMemory>();
        services.AddSingleton<MailSignIn>();
        services.AddKeyedSingleton<IMailProtocol, Pop3Protocol>(MailProtocols.Pop3);
        services.AddKeyedSingleton<IMailProtocol, ImapProtocol>(MailProtocols.Imap);
        services.AddMailsteadSmtp(configuration);
        return services;
    }
}
