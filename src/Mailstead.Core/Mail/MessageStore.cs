using Mailstead.Core.Accounts;
using Mailstead.Core.Mime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Mail;

/// <summary>A message to put into a folder: the raw RFC 5322 bytes and what the store keeps beside them.</summary>
public sealed record NewMessage(ReadOnlyMemory<byte> Body)
{
    /// <summary>Folder name; INBOX when null.</summary>
    public string? Folder { get; init; }

    public MessageFlags Flags { get; init; } = MessageFlags.Empty;

    /// <summary>RFC 3501 INTERNALDATE; now when null.</summary>
    public DateTime? InternalDate { get; init; }

    public string? ImportKey { get; init; }

    /// <summary>For the server's own short notices (the password-change notice): a full mailbox must still hear that its password changed.</summary>
    public bool IgnoreQuota { get; init; }
}

public sealed record Appended(long FolderId, long UidValidity, long Uid, long ModSeq);

/// <summary>
/// The one owner of mail delivery into mailboxes: SMTP, IMAP APPEND, the Maildir import and the password-change
/// notice all come through here. Checks the quota, writes the body durably, then commits the metadata
/// (ARCHITECTURE.md §4: an acknowledged message is never lost; a crash in between leaves an orphan file only).
/// Default folders are created lazily, on the first access to a mailbox's folders.
/// </summary>
public sealed class MessageStore
{
    private readonly IAccountStore _accounts;
    private readonly IMessageStore _messages;
    private readonly IBodyStore _bodies;
    private readonly FolderEvents _events;
    private readonly MailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MessageStore> _logger;

    public MessageStore(IAccountStore accounts, IMessageStore messages, IBodyStore bodies, FolderEvents events, IOptions<MailOptions> options, TimeProvider time, ILogger<MessageStore> logger)
    {
        _accounts = accounts;
        _messages = messages;
        _bodies = bodies;
        _events = events;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public IMessageStore Metadata => _messages;

    public IBodyStore Bodies => _bodies;

    /// <summary>Where changes made through this store are announced (IMAP IDLE, the webmail).</summary>
    public FolderEvents Events => _events;

    /// <summary>The mailbox's folders, creating the default ones on first access.</summary>
    public async Task<Outcome<IReadOnlyList<MailFolder>>> FoldersAsync(string address, CancellationToken cancellationToken)
    {
        var mailbox = await _accounts.FindMailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            return new Problem(ProblemKind.NotFound, $"There is no mailbox {address}.");
        }

        await _messages.EnsureDefaultFoldersAsync(mailbox.Id, cancellationToken).ConfigureAwait(false);
        return Outcome.Success(await _messages.ListFoldersAsync(mailbox.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Creates a folder and, first, the levels above it that are missing (RFC 3501 §6.3.3: the server SHOULD create
    /// the superior names a new name needs); null when a folder of that name exists.
    /// </summary>
    public async Task<MailFolder?> CreateFolderAsync(long mailboxId, string name, SpecialUse use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var segments = name.Split(MailFolder.Delimiter);
        for (var i = 1; i < segments.Length; i++)
        {
            await _messages.TryCreateFolderAsync(mailboxId, string.Join(MailFolder.Delimiter, segments[..i]), SpecialUse.None, cancellationToken).ConfigureAwait(false);
        }

        return await _messages.TryCreateFolderAsync(mailboxId, name, use, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The mailbox's folder for a special use (Sent, Drafts, Trash...): the one marked with it, wherever a mail program
    /// renamed it (RFC 6154), else one made under the default name.
    /// </summary>
    public async Task<MailFolder> SpecialFolderAsync(long mailboxId, SpecialUse use, CancellationToken cancellationToken)
    {
        await _messages.EnsureDefaultFoldersAsync(mailboxId, cancellationToken).ConfigureAwait(false);
        var folders = await _messages.ListFoldersAsync(mailboxId, cancellationToken).ConfigureAwait(false);
        var name = MailFolder.Defaults.First(d => d.Use == use).Name;
        return folders.FirstOrDefault(f => f.SpecialUse == use)
            ?? await _messages.TryCreateFolderAsync(mailboxId, name, use, cancellationToken).ConfigureAwait(false)
            ?? folders.First(f => f.Name == name);
    }

    public long QuotaOf(Mailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return mailbox.QuotaBytes ?? _options.DefaultQuotaBytes;
    }

    /// <summary>
    /// Stores a message in a folder of the mailbox (creating the folder when it is missing and not INBOX's
    /// default set). Refusals are values: unknown mailbox (NotFound), too large or over quota (Denied, with the
    /// numbers), no such folder (NotFound). SMTP maps over-quota to 552 5.2.2, IMAP to [OVERQUOTA].
    /// </summary>
    public async Task<Outcome<Appended>> DeliverAsync(Mailbox mailbox, NewMessage message, bool createFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(message);
        var size = message.Body.Length;
        if (size > _options.MaxMessageBytes)
        {
            return new Problem(ProblemKind.Denied, $"The message is {size} bytes; the largest accepted is {_options.MaxMessageBytes}.");
        }

        if (message.Flags.StoredKeywords.Length > MessageFlags.MaxStoredKeywordsLength)
        {
            return new Problem(ProblemKind.Invalid, $"The keywords come to more than the {MessageFlags.MaxStoredKeywordsLength} characters a message keeps.");
        }

        // The body is written and fsynced while the quota and the folder are looked up: the two waits overlap instead of
        // adding up, and a refused message's file is deleted again.
        var writing = Task.Run(() => _bodies.WriteAsync(message.Body, cancellationToken), cancellationToken);
        MailFolder? folder;
        try
        {
            if (!message.IgnoreQuota && await QuotaProblemAsync(mailbox, size, cancellationToken).ConfigureAwait(false) is { } full)
            {
                await DiscardAsync(writing).ConfigureAwait(false);
                return full;
            }

            folder = await FolderForDeliveryAsync(mailbox.Id, message.Folder ?? MailFolder.InboxName, createFolder, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DiscardAsync(writing).ConfigureAwait(false);
            throw;
        }

        if (folder is null)
        {
            await DiscardAsync(writing).ConfigureAwait(false);
            return new Problem(ProblemKind.NotFound, $"There is no folder {message.Folder ?? MailFolder.InboxName} in {mailbox.Address}.");
        }

        var summary = HeaderSummary.Read(message.Body);
        var key = await writing.ConfigureAwait(false);
        var row = new StoredMessage
        {
            BodyKey = key,
            Size = size,
            InternalDate = message.InternalDate ?? _time.GetUtcNow().UtcDateTime,
            SystemFlags = message.Flags.System,
            Keywords = message.Flags.StoredKeywords,
            MessageId = summary.MessageId,
            Subject = summary.Subject,
            From = summary.From,
            Date = summary.Date,
            ImportKey = message.ImportKey,
        };
        var stored = await _messages.AppendAsync(folder.Id, row, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Stored message uid={Uid} size={Size} in {Folder} of {Mailbox}", stored.Uid, size, folder.Name, mailbox.Address);
        _events.Publish(folder.Id);
        return new Appended(folder.Id, folder.UidValidity, stored.Uid, stored.ModSeq);
    }

    private async Task<MailFolder?> FolderForDeliveryAsync(long mailboxId, string name, bool createFolder, CancellationToken cancellationToken)
    {
        var folder = await _messages.FindFolderAsync(mailboxId, name, cancellationToken).ConfigureAwait(false);
        if (folder is null)
        {
            // A mailbox's first delivery (or one after its INBOX was lost) makes the default folders; later ones
            // find theirs at once, without listing the folders each time.
            await _messages.EnsureDefaultFoldersAsync(mailboxId, cancellationToken).ConfigureAwait(false);
            folder = await _messages.FindFolderAsync(mailboxId, name, cancellationToken).ConfigureAwait(false);
        }

        if (folder is null && createFolder)
        {
            folder = await _messages.TryCreateFolderAsync(mailboxId, name, SpecialUse.None, cancellationToken).ConfigureAwait(false)
                ?? await _messages.FindFolderAsync(mailboxId, name, cancellationToken).ConfigureAwait(false);
        }

        return folder;
    }

    // A body written for a message that was then refused: nothing will name it.
    private async Task DiscardAsync(Task<string> writing)
    {
        try
        {
            _bodies.Delete(await writing.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // The write failed or was cancelled: there is nothing to delete, or the sweep finds the rest.
        }
    }

    /// <summary>
    /// Why a message of <paramref name="size"/> bytes would not fit the mailbox's quota now, or null when it fits. SMTP
    /// asks at RCPT (with the SIZE the client declared) so a full mailbox refuses before the data is sent.
    /// </summary>
    public async Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        // Not atomic with the append: two deliveries at once may overshoot by one message, which IMAP QUOTA
        // (RFC 9208 §3) allows; a hard ceiling would serialise every delivery to a mailbox.
        var quota = QuotaOf(mailbox);
        var used = await _messages.UsageAsync(mailbox.Id, cancellationToken).ConfigureAwait(false);
        return used + size > quota || used >= quota
            ? new Problem(ProblemKind.Denied, $"The mailbox {mailbox.Address} is full: {used} of {quota} bytes used, the message needs {size}.")
            : null;
    }

    public async Task<Outcome<Appended>> DeliverAsync(string address, NewMessage message, CancellationToken cancellationToken)
    {
        var mailbox = await _accounts.FindMailboxAsync(address, cancellationToken).ConfigureAwait(false);
        return mailbox is null
            ? new Problem(ProblemKind.NotFound, $"There is no mailbox {address}.")
            : await DeliverAsync(mailbox, message, createFolder: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes bodies no message names: left by a crash between the body and its metadata commit, or by a deleted
    /// mailbox. Only files older than <paramref name="minimumAge"/> are considered, so a delivery between its
    /// body write and its commit is never swept. Returns how many bodies were deleted.
    /// </summary>
    public async Task<int> SweepOrphansAsync(TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        var swept = 0;
        foreach (var batch in _bodies.ListWrittenBefore(_time.GetUtcNow().UtcDateTime - minimumAge).Chunk(500))
        {
            var referenced = await _messages.ReferencedAsync(batch, cancellationToken).ConfigureAwait(false);
            foreach (var key in batch.Where(k => !referenced.Contains(k)))
            {
                _bodies.Delete(key);
                swept++;
            }
        }

        if (swept > 0)
        {
            _logger.LogInformation("Swept {Count} message bodies no message refers to", swept);
        }

        return swept;
    }

    /// <summary>
    /// Decodes the list summaries (subject, sender) of messages stored before they were decoded at delivery, from
    /// their stored headers, so that sorting and searching see what the webmail shows. Idempotent; <c>serve</c>
    /// runs it once at start. Returns how many rows changed.
    /// </summary>
    public async Task<int> RefreshStoredSummariesAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        var after = 0L;
        while (true)
        {
            var rows = await _messages.ListRawSummariesAsync(after, 500, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return changed;
            }

            foreach (var row in rows)
            {
                after = row.Id;
                if (await _bodies.ReadHeaderAsync(row.BodyKey, cancellationToken).ConfigureAwait(false) is not { } header)
                {
                    continue;
                }

                var summary = HeaderSummary.Read(header);
                if (summary.Subject != row.Subject || summary.From != row.From)
                {
                    await _messages.SetSummaryAsync(row.Id, summary.Subject, summary.From, cancellationToken).ConfigureAwait(false);
                    changed++;
                }
            }
        }
    }

    /// <summary>Expunges \Deleted messages and removes the bodies nothing refers to any more.</summary>
    public async Task<IReadOnlyList<long>> ExpungeAsync(long folderId, IReadOnlyCollection<long>? uids, CancellationToken cancellationToken)
    {
        var result = await _messages.ExpungeAsync(folderId, uids, cancellationToken).ConfigureAwait(false);
        foreach (var key in result.UnreferencedBodies)
        {
            _bodies.Delete(key);
        }

        if (result.Uids.Count > 0)
        {
            _events.Publish(folderId);
        }

        return result.Uids;
    }

    /// <summary>Changes flags (IMAP STORE, the webmail's read/flag buttons) and announces it.</summary>
    public async Task<IReadOnlyList<StoredMessage>> SetFlagsAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, CancellationToken cancellationToken) =>
        Announced(folderId, await _messages.SetFlagsAsync(folderId, uids, change, flags, cancellationToken).ConfigureAwait(false));

    /// <summary>IMAP STORE (UNCHANGEDSINCE n): changes only messages unchanged since that modseq, and announces it.</summary>
    public async Task<ConditionalFlagChange> SetFlagsUnlessChangedAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, long unchangedSince, CancellationToken cancellationToken)
    {
        var result = await _messages.SetFlagsUnlessChangedAsync(folderId, uids, change, flags, unchangedSince, cancellationToken).ConfigureAwait(false);
        Announced(folderId, result.Changed);
        return result;
    }

    private IReadOnlyList<StoredMessage> Announced(long folderId, IReadOnlyList<StoredMessage> changed)
    {
        if (changed.Count > 0)
        {
            _events.Publish(folderId);
        }

        return changed;
    }

    /// <summary>Copies or moves messages to another folder of the mailbox and announces it to both folders.</summary>
    public async Task<IReadOnlyList<(long Source, long Target)>> CopyAsync(long folderId, IReadOnlyCollection<long> uids, long targetFolderId, bool move, CancellationToken cancellationToken)
    {
        var copied = await _messages.CopyAsync(folderId, uids, targetFolderId, move, cancellationToken).ConfigureAwait(false);
        if (copied.Count > 0)
        {
            _events.Publish(targetFolderId);
            if (move)
            {
                _events.Publish(folderId);
            }
        }

        return copied;
    }
}

/// <summary>
/// The few header fields kept for lists, unfolded. Subject and From are stored decoded (RFC 2047), because the
/// webmail sorts and searches on them: From as "Display Name &lt;address&gt;" (or the address alone), so sorting by
/// sender sorts by what the list shows. Rows stored before this decoding kept the raw text; readers decode again
/// (<see cref="Mailstead.Core.Mime.EncodedWords.Decode"/> leaves decoded text as it is).
/// </summary>
internal readonly record struct HeaderSummary(string? MessageId, string? Subject, string? From, DateTime? Date)
{
    private const int MaxField = 512;

    public static HeaderSummary Read(ReadOnlyMemory<byte> message)
    {
        var root = MimeMessage.Parse(HeaderOf(message)).Root;
        string? Field(string name) => root.Field(name)?.Value is { } value
            // Encoded words take up to about three times the characters they decode to: clip after decoding.
            ? value[..Math.Min(value.Length, MaxField * 8)]
            : null;

        return new HeaderSummary(
            Field("Message-ID") is { } messageId ? Clip(messageId) : null,
            Field("Subject") is { } subject ? Clip(EncodedWords.Decode(subject)) : null,
            Field("From") is { } from ? Clip(SenderText(from)) : null,
            Field("Date") is { } date ? MessageDate.Parse(date)?.UtcDateTime : null);
    }

    // The header and the blank line after it (the first 64 KiB when there is none): the body is not needed.
    private static ReadOnlyMemory<byte> HeaderOf(ReadOnlyMemory<byte> message) =>
        MimeMessage.HeaderLength(message.Span) is var length and >= 0 ? message[..length] : message[..Math.Min(message.Length, 64 * 1024)];

    /// <summary>The first sender of a From field as people read it: "Name &lt;address&gt;", decoded; the raw text when it holds no address.</summary>
    public static string SenderText(string value)
    {
        var first = AddressListParser.Parse(value).Select(a => a switch
        {
            MailboxAddress m => m,
            GroupAddress { Members.Count: > 0 } g => g.Members[0],
            _ => null,
        }).FirstOrDefault(m => m is not null);
        if (first is null)
        {
            return EncodedWords.Decode(value);
        }

        var address = first.Domain.Length > 0 ? first.LocalPart + "@" + first.Domain : first.LocalPart;
        var name = first.DisplayName is { Length: > 0 } display ? EncodedWords.Decode(display).Trim() : "";
        return name.Length > 0 ? $"{name} <{address}>" : address;
    }

    private static string Clip(string value) => value.Length > MaxField ? value[..MaxField] : value;
}
