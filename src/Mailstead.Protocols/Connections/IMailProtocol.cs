namespace Mailstead.Protocols.Connections;

/// <summary>A mail protocol served on a listener: runs one session over an accepted (and, for implicit TLS, secured) connection.</summary>
public interface IMailProtocol
{
    /// <summary>Short name for logs: "IMAP", "POP3", "SMTP", "Submission".</summary>
    string Name { get; }

    /// <summary>
    /// Serves the client until it leaves or the connection is terminated. Must not throw for anything the client
    /// does; the listener closes the connection afterwards.
    /// </summary>
    Task RunAsync(MailConnection connection);

    /// <summary>Said to a client refused before its session starts (too many connections from its address).</summary>
    string Refusal(string reason);
}
