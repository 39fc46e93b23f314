namespace Mailstead.Protocols.Connections;

/// <summary>
/// <c>Mailstead:Limits</c>: every bound the mail listeners put on a client, in one place (as Kestrel's
/// <c>KestrelServerLimits</c>). Input beyond a limit is refused with the protocol's error, never buffered.
/// The largest message is <c>Mailstead:Mail:MaxMessageBytes</c>, owned by the message store.
/// </summary>
public sealed class ProtocolLimits
{
    public const string Section = "Mailstead:Limits";

    /// <summary>A command line without its literals. RFC 7162 §4 asks IMAP servers to take at least 8192 octets.</summary>
    public int MaxCommandLineBytes { get; set; } = 64 * 1024;

    /// <summary>An IMAP literal other than an APPENDed message (a search string, a password).</summary>
    public int MaxLiteralBytes { get; set; } = 64 * 1024;

    /// <summary>Commands a client may send before it authenticates, before it is disconnected.</summary>
    public int MaxCommandsBeforeAuthentication { get; set; } = 50;

    /// <summary>Failed AUTH/LOGIN/PASS attempts on one connection, before it is disconnected.</summary>
    public int MaxFailedAuthentications { get; set; } = 3;

    /// <summary>Invalid commands in a row, before the connection is dropped as not a mail client.</summary>
    public int MaxInvalidCommands { get; set; } = 20;

    /// <summary>An SMTP command line. RFC 5321 §4.5.3.1.4 asks for 512 octets; long SASL initial responses need more.</summary>
    public int MaxSmtpCommandLineBytes { get; set; } = 2048;

    /// <summary>A line of SMTP DATA. RFC 5321 §4.5.3.1.6 says 1000 octets; real mail breaks that, so be lenient but bounded.</summary>
    public int MaxSmtpTextLineBytes { get; set; } = 64 * 1024;

    /// <summary>RFC 3501 §5.4 asks for at least 30 minutes; IDLE clients re-issue within 29.</summary>
    public TimeSpan ImapIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>RFC 1939 §3: at least 10 minutes.</summary>
    public TimeSpan Pop3IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>RFC 5321 §4.5.3.2.7: 5 minutes.</summary>
    public TimeSpan SmtpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a client may take to accept a response before the connection is dropped.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A TLS handshake, implicit or after STARTTLS.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Message data being received (SMTP DATA, IMAP APPEND) that all sessions together may hold in memory; a message
    /// that would go beyond it is refused as a temporary condition: SMTP 452 4.3.1, which senders retry later, and IMAP
    /// NO [UNAVAILABLE] before the client sends it.
    /// </summary>
    public long MaxMessageBytesInMemory { get; set; } = 512L * 1024 * 1024;

    /// <summary>Open connections from one client address, over all mail listeners.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 100;
}
