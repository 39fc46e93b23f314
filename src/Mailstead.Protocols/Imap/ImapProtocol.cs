using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Imap;

/// <summary>
/// IMAP4rev1 (RFC 3501) with IDLE, UIDPLUS, MOVE, LITERAL+, ID, ENABLE, NAMESPACE, SPECIAL-USE, UNSELECT, CHILDREN,
/// SASL-IR, CONDSTORE and QRESYNC, on <c>Imap</c> (STARTTLS) and <c>Imaps</c> (implicit TLS).
/// </summary>
internal sealed class ImapProtocol(MailSignIn signIn, MessageStore store, IAccountStore accounts, IOptions<MailOptions> mail, MessageMemory memory, ILogger<ImapProtocol> logger) : IMailProtocol
{
    // ENVELOPE and BODYSTRUCTURE of recently listed messages and the decoded header fields SEARCH compares, shared by
    // every session: mail programs ask for them again and again, and each costs a parse of the header or of the whole
    // message.
    private readonly BodyDerivedCache _renderings = new(16L << 20);

    // About 200 bytes an entry: at most some 100 MB for the message lists of the folders sessions look at.
    private readonly FolderSnapshots _snapshots = new(store.Metadata, store.Events, budgetEntries: 500_000);

    public string Name => "IMAP";

    public Task RunAsync(MailConnection connection) =>
        new ImapSession(connection, new ImapServices(signIn, store, accounts, mail.Value, memory, _renderings, _snapshots, logger)).RunAsync();

    public string Refusal(string reason) => $"* BYE [UNAVAILABLE] {reason}";
}

/// <summary>What a session needs from the server, passed as one value.</summary>
internal sealed record ImapServices(MailSignIn SignIn, MessageStore Store, IAccountStore Accounts, MailOptions Mail, MessageMemory Memory, BodyDerivedCache Renderings, FolderSnapshots Snapshots, ILogger Logger);
