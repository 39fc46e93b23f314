using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Pop3;

/// <summary>POP3 (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and SASL PLAIN (RFC 5034), on <c>Pop3</c> and <c>Pop3s</c>.</summary>
internal sealed class Pop3Protocol(MailSignIn signIn, MessageStore store, ILogger<Pop3Protocol> logger) : IMailProtocol
{
    public string Name => "POP3";

    public Task RunAsync(MailConnection connection) => new Pop3Session(connection, signIn, store, logger).RunAsync();

    public string Refusal(string reason) => $"-ERR [SYS/TEMP] {reason}";
}
