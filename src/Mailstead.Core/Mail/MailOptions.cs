namespace Mailstead.Core.Mail;

/// <summary><c>Mailstead:Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mailstead:Mail";

    /// <summary>Quota of a mailbox whose own quota is not set: 1 GiB.</summary>
    public long DefaultQuotaBytes { get; set; } = 1L << 30;

    /// <summary>The largest message accepted for delivery or append.</summary>
    public long MaxMessageBytes { get; set; } = 50L << 20;
}
