namespace Mailstead.Core.Mail;

/// <summary>Where a queued message stands. Stored by name; do not rename.</summary>
public enum OutboundState
{
    /// <summary>Waiting for its next attempt (<see cref="OutboundMessage.NextAttemptAt"/>).</summary>
    Queued,

    /// <summary>Every recipient's server took it.</summary>
    Delivered,

    /// <summary>Given up on; the sender was told.</summary>
    Failed,
}

/// <summary>
/// A message accepted from an authenticated sender for recipients on other servers. The body is an immutable
/// file in the <see cref="IBodyStore"/>, written before the row, so an acknowledged message survives a crash.
/// </summary>
public sealed class OutboundMessage
{
    public long Id { get; set; }

    /// <summary>The mailbox that submitted it; null once that mailbox is deleted (the message stays queued).</summary>
    public long? SenderMailboxId { get; set; }

    /// <summary>The RFC 5321 reverse-path without brackets; empty for the null path.</summary>
    public required string EnvelopeFrom { get; set; }

    /// <summary>Forward-paths without brackets, as the client gave them.</summary>
    public required List<string> Recipients { get; set; }

    public required string BodyKey { get; set; }

    public long Size { get; set; }

    /// <summary>The client declared BODY=8BITMIME (RFC 6152): the next hop must offer 8BITMIME too.</summary>
    public bool EightBitMime { get; set; }

    /// <summary>The client declared SMTPUTF8 (RFC 6531 §3.4): the next hop must offer SMTPUTF8 too.</summary>
    public bool SmtpUtf8 { get; set; }

    public OutboundState State { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
