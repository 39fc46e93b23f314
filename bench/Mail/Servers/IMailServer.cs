namespace Mailstead.Bench.Mail.Servers;

/// <summary>A running server under test; a port is null when it does not serve that protocol.</summary>
internal interface IMailServer : IAsyncDisposable
{
    string Name { get; }

    /// <summary>POP3 over implicit TLS.</summary>
    int? Pop3sPort { get; }

    /// <summary>IMAP over implicit TLS.</summary>
    int? ImapsPort { get; }

    /// <summary>SMTP as an MX receives it: plaintext, no authentication, local recipients only.</summary>
    int? SmtpPort { get; }

    Memory Memory();

    /// <summary>Messages the SMTP workload's mailbox has received so far; null when the server stores before it answers 250.</summary>
    int? DeliveredCount();
}
