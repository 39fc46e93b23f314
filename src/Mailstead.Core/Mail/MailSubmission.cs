using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Mail;

/// <summary>What became of one recipient: at the check (<see cref="Local"/>, <see cref="Remote"/> or a refusal) and after delivery.</summary>
public enum RecipientStatus
{
    /// <summary>Accepted: a mailbox here.</summary>
    Local,

    /// <summary>Accepted: an address on another server (only for a signed-in sender).</summary>
    Remote,

    /// <summary>Stored in the recipient's INBOX.</summary>
    Delivered,

    /// <summary>In the outbound queue for the other server.</summary>
    Queued,

    /// <summary>Not an address (webmail input).</summary>
    InvalidAddress,

    /// <summary>Another server's address, and the sender may not relay (the MX).</summary>
    RelayDenied,

    NoSuchMailbox,

    MailboxDisabled,

    MailboxFull,

    MessageTooLarge,

    /// <summary>Storing or queueing failed on our side; trying again later may work.</summary>
    TemporaryFailure,
}

/// <summary>A recipient looked up before the message is taken: <see cref="Address"/> normalised when it is ours.</summary>
public sealed record RecipientCheck(string Address, RecipientStatus Status, Mailbox? Mailbox)
{
    public bool Accepted => Status is RecipientStatus.Local or RecipientStatus.Remote;
}

public sealed record RecipientOutcome(string Address, RecipientStatus Status)
{
    public bool Succeeded => Status is RecipientStatus.Delivered or RecipientStatus.Queued;
}

/// <summary>
/// Where the message came from, for the Received field (RFC 5321 §4.4): the client's HELO name if it gave one, its
/// address, and the protocol (RFC 3848 ESMTPSA and friends for SMTP; HTTPS for the webmail).
/// </summary>
public sealed record SubmissionTrace(string? HeloName, IPAddress? Client, string Protocol)
{
    public static SubmissionTrace Web(IPAddress? client, bool https) => new(null, client, https ? "HTTPS" : "HTTP");
}

/// <summary>
/// A message whose recipients were checked already (SMTP checks at every RCPT). <see cref="Sender"/> is null for mail
/// from other servers (the MX). <see cref="SaveToSent"/> stores a copy in the sender's Sent folder: for the webmail;
/// SMTP clients keep their own copy with IMAP APPEND.
/// </summary>
public sealed record SubmissionEnvelope(Mailbox? Sender, string EnvelopeFrom, IReadOnlyList<RecipientCheck> Recipients, SubmissionTrace Trace)
{
    public bool EightBitMime { get; init; }

    public bool SmtpUtf8 { get; init; }

    public bool SaveToSent { get; init; }

    /// <summary>What to store in Sent instead of the message sent: the same message with its Bcc field (<c>BuiltMessage.WithBcc</c>).</summary>
    public ReadOnlyMemory<byte>? SentCopy { get; init; }
}

/// <summary>
/// A message from a signed-in mailbox in one call (the webmail): recipients as address strings (To, Cc and Bcc
/// together), the RFC 5322 bytes. <see cref="EnvelopeFrom"/> defaults to the mailbox's address.
/// </summary>
public sealed record Submission(Mailbox Sender, IReadOnlyList<string> Recipients, ReadOnlyMemory<byte> Message, SubmissionTrace Trace)
{
    public string? EnvelopeFrom { get; init; }

    public bool SaveToSent { get; init; }

    /// <inheritdoc cref="SubmissionEnvelope.SentCopy"/>
    public ReadOnlyMemory<byte>? SentCopy { get; init; }
}

/// <summary>
/// What happened to a message: its id (in the Received field and the log), one outcome per recipient (refused at the
/// check, then local ones in order, then remote ones), and the sender's copy when one was asked for.
/// </summary>
public sealed record SubmissionResult(string Id, IReadOnlyList<RecipientOutcome> Recipients)
{
    /// <summary>Where the Sent copy went; null when none was asked for or it could not be stored (<see cref="SentCopyProblem"/>).</summary>
    public Appended? SentCopy { get; init; }

    public Problem? SentCopyProblem { get; init; }

    public bool AllSucceeded => Recipients.All(r => r.Succeeded);
}

/// <summary>
/// The one owner of the rules for taking a message in: who may send as whom, which recipients exist, quota, the
/// Received field, local delivery (durable before this returns) and the outbound queue. SMTP (MX and submission)
/// calls the steps as the commands arrive; the webmail calls <see cref="SubmitAsync"/>.
/// </summary>
public sealed class MailSubmission
{
    private readonly ISubmissionTargets _targets;
    private readonly string _hostname;
    private readonly TimeProvider _time;
    private readonly ILogger<MailSubmission> _logger;

    public MailSubmission(ISubmissionTargets targets, IOptions<SmtpOptions> options, TimeProvider time, ILogger<MailSubmission> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _targets = targets;
        _hostname = options.Value.Hostname;
        _time = time;
        _logger = logger;
    }

    public long MaxMessageBytes => _targets.MaxMessageBytes;

    public int MaxRecipients => _targets.MaxRecipients;

    /// <summary>RFC 6409 §6.1: a signed-in mailbox sends only as its own address (compared normalised).</summary>
    public static bool MaySendAs(Mailbox sender, string? envelopeFrom)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return EmailAddress.TryParse(envelopeFrom, out var address, out _) && address.Value == sender.Address;
    }

    /// <summary>
    /// Looks a recipient up. Ours when the domain is one of our domains (an address literal never is); then the mailbox
    /// must exist, be enabled, and have room for <paramref name="size"/> bytes (RFC 1870 §6.1: a full mailbox refuses
    /// before the data is sent). Postmaster mail (no <paramref name="domain"/> at all: RCPT TO:&lt;Postmaster&gt;) goes
    /// to the platform's postmaster when the domain has none. Another server's address is accepted only when
    /// <paramref name="mayRelay"/> (RFC 5321 §3.6.2: no open relay).
    /// </summary>
    public async Task<RecipientCheck> CheckRecipientAsync(string localPart, string? domain, bool mayRelay, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(localPart);
        if (domain is null)
        {
            // RCPT TO:<Postmaster> (RFC 5321 §4.1.1.3): the platform's postmaster.
            return await CheckMailboxAsync(localPart, await PostmasterAsync(cancellationToken).ConfigureAwait(false), size, cancellationToken).ConfigureAwait(false);
        }

        var given = localPart + "@" + domain;
        var normalized = "";
        var local = !domain.StartsWith('[')
            && DomainName.TryNormalize(domain, out normalized, out _)
            && await _targets.IsLocalDomainAsync(normalized, cancellationToken).ConfigureAwait(false);
        if (!local)
        {
            return new RecipientCheck(given, mayRelay ? RecipientStatus.Remote : RecipientStatus.RelayDenied, null);
        }

        if (!EmailAddress.TryParse(localPart + "@" + normalized, out var address, out _))
        {
            return new RecipientCheck(given, RecipientStatus.NoSuchMailbox, null);
        }

        var mailbox = await _targets.FindMailboxAsync(address.Value, cancellationToken).ConfigureAwait(false)
            // RFC 5321 §4.5.1: postmaster@ every domain here reaches someone, whether or not it has a mailbox of that name.
            ?? (localPart.Equals("postmaster", StringComparison.OrdinalIgnoreCase) ? await PostmasterAsync(cancellationToken).ConfigureAwait(false) : null);
        return mailbox is null
            ? new RecipientCheck(given, RecipientStatus.NoSuchMailbox, null)
            : await CheckMailboxAsync(address.Value, mailbox, size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The mailbox <c>Mailstead:Mail:Postmaster</c> names; null when it is unset or names no mailbox here.</summary>
    public async Task<Mailbox?> PostmasterAsync(CancellationToken cancellationToken) =>
        EmailAddress.TryParse(_targets.Postmaster ?? "", out var postmaster, out _)
            ? await _targets.FindMailboxAsync(postmaster.Value, cancellationToken).ConfigureAwait(false)
            : null;

    private async Task<RecipientCheck> CheckMailboxAsync(string address, Mailbox? mailbox, long size, CancellationToken cancellationToken)
    {
        if (mailbox is null)
        {
            return new RecipientCheck(address, RecipientStatus.NoSuchMailbox, null);
        }

        if (mailbox.Disabled)
        {
            return new RecipientCheck(address, RecipientStatus.MailboxDisabled, null);
        }

        return await _targets.QuotaProblemAsync(mailbox, size, cancellationToken).ConfigureAwait(false) is null
            ? new RecipientCheck(mailbox.Address, RecipientStatus.Local, mailbox)
            : new RecipientCheck(address, RecipientStatus.MailboxFull, null);
    }

    /// <summary>
    /// Puts the Received field on top, stores a copy for every local recipient, queues one copy for all remote ones,
    /// then (if asked) stores the sender's copy without the Received field. Failures are outcomes, never exceptions
    /// (but cancellation); what succeeded is durable when this returns.
    /// </summary>
    public async Task<SubmissionResult> DeliverAsync(SubmissionEnvelope envelope, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Sender is null && envelope.Recipients.Any(r => r.Status == RecipientStatus.Remote))
        {
            throw new ArgumentException("Only a signed-in sender may send to other servers.", nameof(envelope));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var message = Concat(ReceivedField(envelope, id), body.Span);
        var outcomes = new List<RecipientOutcome>();
        foreach (var recipient in envelope.Recipients.Where(r => r.Status == RecipientStatus.Local))
        {
            outcomes.Add(new RecipientOutcome(recipient.Address, await DeliverLocallyAsync(recipient, message, id, cancellationToken).ConfigureAwait(false)));
        }

        var remote = envelope.Recipients.Where(r => r.Status == RecipientStatus.Remote).Select(r => r.Address).ToList();
        if (remote.Count > 0)
        {
            var status = await EnqueueAsync(envelope, remote, message, id, cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(remote.Select(address => new RecipientOutcome(address, status)));
        }

        var result = new SubmissionResult(id, outcomes);
        if (envelope.SaveToSent && envelope.Sender is not null && outcomes.Any(o => o.Succeeded))
        {
            var copy = await _targets.StoreSentAsync(envelope.Sender, envelope.SentCopy ?? body, cancellationToken).ConfigureAwait(false);
            result = copy.Succeeded ? result with { SentCopy = copy.Value } : result with { SentCopyProblem = copy.Problem };
        }

        _logger.LogInformation(
            "{Client}: message {Id} from <{From}>, {Size} octets, stored for {Stored} of {Count} recipients",
            envelope.Trace.Client,
            id,
            envelope.EnvelopeFrom,
            message.Length,
            outcomes.Count(o => o.Succeeded),
            outcomes.Count);
        return result;
    }

    /// <summary>
    /// The webmail's send: the sender rule, the size limit, every recipient checked (refusals are outcomes; the others
    /// still get the message), then <see cref="DeliverAsync"/>. A problem only when nothing could be sent at all.
    /// </summary>
    public async Task<Outcome<SubmissionResult>> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var from = submission.EnvelopeFrom ?? submission.Sender.Address;
        if (!MaySendAs(submission.Sender, from))
        {
            return new Problem(ProblemKind.Denied, $"You may send only as <{submission.Sender.Address}>.");
        }

        if (submission.Message.Length > MaxMessageBytes)
        {
            return new Problem(ProblemKind.Denied, $"The message is {submission.Message.Length} bytes; the largest accepted is {MaxMessageBytes}.");
        }

        if (submission.Recipients.Count == 0)
        {
            return new Problem(ProblemKind.Invalid, "The message needs at least one recipient.");
        }

        var distinct = submission.Recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        if (distinct > MaxRecipients)
        {
            return new Problem(ProblemKind.Invalid, $"A message can go to at most {MaxRecipients} recipients; this one has {distinct}. Send it in several messages, or to a list.");
        }

        var checks = new List<RecipientCheck>();
        foreach (var recipient in submission.Recipients)
        {
            var check = EmailAddress.TryParse(recipient, out _, out _)
                ? await CheckRecipientAsync(recipient[..recipient.LastIndexOf('@')], recipient[(recipient.LastIndexOf('@') + 1)..], mayRelay: true, submission.Message.Length, cancellationToken).ConfigureAwait(false)
                : new RecipientCheck(recipient, RecipientStatus.InvalidAddress, null);
            if (!checks.Exists(c => c.Accepted && c.Address == check.Address))
            {
                checks.Add(check);
            }
        }

        var accepted = checks.Where(c => c.Accepted).ToList();
        var refused = checks.Where(c => !c.Accepted).Select(c => new RecipientOutcome(c.Address, c.Status)).ToList();
        if (accepted.Count == 0)
        {
            return new SubmissionResult("", refused);
        }

        var envelope = new SubmissionEnvelope(submission.Sender, from, accepted, submission.Trace)
        {
            EightBitMime = submission.Message.Span.ContainsAnyExceptInRange((byte)0, (byte)0x7F),
            SmtpUtf8 = !Ascii.IsValid(from) || accepted.Exists(c => !Ascii.IsValid(c.Address)),
            SaveToSent = submission.SaveToSent,
            SentCopy = submission.SentCopy,
        };
        var delivered = await DeliverAsync(envelope, submission.Message, cancellationToken).ConfigureAwait(false);
        return delivered with { Recipients = [.. refused, .. delivered.Recipients] };
    }

    private async Task<RecipientStatus> DeliverLocallyAsync(RecipientCheck recipient, byte[] message, string id, CancellationToken cancellationToken)
    {
        try
        {
            var delivered = await _targets.DeliverAsync(recipient.Mailbox!, message, cancellationToken).ConfigureAwait(false);
            return delivered.Problem?.Kind switch
            {
                null => RecipientStatus.Delivered,
                ProblemKind.Denied when message.Length > MaxMessageBytes => RecipientStatus.MessageTooLarge,
                ProblemKind.Denied => RecipientStatus.MailboxFull,
                _ => RecipientStatus.NoSuchMailbox,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Delivering message {Id} to {Recipient} failed", id, recipient.Address);
            return RecipientStatus.TemporaryFailure;
        }
    }

    private async Task<RecipientStatus> EnqueueAsync(SubmissionEnvelope envelope, List<string> remote, byte[] message, string id, CancellationToken cancellationToken)
    {
        try
        {
            var submission = new OutboundSubmission(envelope.Sender!.Id, envelope.EnvelopeFrom, remote, message)
            {
                EightBitMime = envelope.EightBitMime,
                SmtpUtf8 = envelope.SmtpUtf8,
            };
            await _targets.EnqueueAsync(submission, cancellationToken).ConfigureAwait(false);
            return RecipientStatus.Queued;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Queueing message {Id} for {Count} remote recipients failed", id, remote.Count);
            return RecipientStatus.TemporaryFailure;
        }
    }

    /// <summary>
    /// RFC 5321 §4.4 trace field: <c>from</c> the HELO name (else the address literal) with the client's address
    /// (TCP-info, no reverse DNS), <c>by</c> us, <c>with</c> the protocol, <c>id</c>, and <c>for</c> only with a single
    /// recipient, so one message does not reveal its other (Bcc) recipients.
    /// </summary>
    private string ReceivedField(SubmissionEnvelope envelope, string id)
    {
        var address = envelope.Trace.Client ?? IPAddress.Loopback;
        var literal = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
        var recipient = envelope.Recipients.Count == 1 ? $"\r\n\tfor <{envelope.Recipients[0].Address}>" : "";
        var date = MessageDate.Format(_time.GetUtcNow());
        return $"Received: from {envelope.Trace.HeloName ?? literal} ({literal})\r\n\tby {_hostname} with {envelope.Trace.Protocol} id {id}{recipient};\r\n\t{date}\r\n";
    }

    private static byte[] Concat(string header, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(header) + body.Length];
        var written = Encoding.UTF8.GetBytes(header, bytes);
        body.CopyTo(bytes.AsSpan(written));
        return bytes;
    }
}
