namespace Mailstead.Core.Mail;

/// <summary><c>Mailstead:Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mailstead:Mail";

    /// <summary>Quota of a mailbox whose own quota is not set: 1 GiB.</summary>
    public long DefaultQuotaBytes { get; set; } = 1L << 30;

    /// <summary>The largest message accepted for delivery or append.</summary>
    public long MaxMessageBytes { get; set; } = 50L << 20;

    /// <summary>
    /// Recipients one message may have, whoever sends it: SMTP answers 452 to the RCPT beyond it (RFC 5321 §4.5.3.1.8
    /// asks for at least 100), the webmail refuses the message.
    /// </summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>
    /// The address of a mailbox here that receives mail to postmaster@ every hosted domain without a postmaster mailbox
    /// of its own, and to the bare &lt;Postmaster&gt; (RFC 5321 §4.5.1: every mail server must accept it). Unset, such
    /// mail is refused like mail to any unknown address.
    /// </summary>
    public string? Postmaster { get; set; }
}
