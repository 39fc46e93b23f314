using Mailstead.Core.Accounts;
using Mailstead.Core.Mime;

namespace Mailstead.Core.Mail;

/// <summary>A folder as the folder list shows it.</summary>
public sealed record FolderSummary(MailFolder Folder, int Messages, int Unseen)
{
    /// <summary>INBOX and the special-use folders: listed first, never renamed or deleted from the webmail.</summary>
    public bool IsSpecial => Folder.SpecialUse != SpecialUse.None || Folder.Name == MailFolder.InboxName;
}

/// <summary>
/// A search of one folder: the indexed criteria of <see cref="MessageListQuery"/> plus recipient and body text,
/// which are not in the message rows and are looked for in the stored messages themselves.
/// </summary>
public sealed record MailSearch(MessageListQuery List)
{
    public string? To { get; init; }

    public string? Body { get; init; }

    public bool ReadsMessages => To is { Length: > 0 } || Body is { Length: > 0 };
}

/// <param name="Items">The page.</param>
/// <param name="Total">How many messages match in all.</param>
/// <param name="Scanned">How many messages were read for the recipient or body criteria (0 when none were given).</param>
/// <param name="Bounded">True when the folder had more candidates than <see cref="UserMailService.ScanLimit"/>: only the newest were read.</param>
public sealed record MessageListing(IReadOnlyList<StoredMessage> Items, int Total, int Scanned, bool Bounded)
{
    /// <summary>UIDs of the listed messages that carry attachments (their header says multipart/mixed).</summary>
    public IReadOnlySet<long> WithAttachments { get; init; } = new HashSet<long>();

    /// <summary>
    /// In Sent and Drafts, where the sender is always the user: whom each listed message is for (To, Cc and Bcc, by
    /// UID), the names people are known by where the header gives them.
    /// </summary>
    public IReadOnlyDictionary<long, IReadOnlyList<NamedAddress>> Recipients { get; init; } = new Dictionary<long, IReadOnlyList<NamedAddress>>();
}

/// <summary>
/// A message as the compose form gives it: address lists as typed (RFC 5322 lists, comma-separated), the text, and
/// the files to attach. The sender is always the signed-in mailbox.
/// </summary>
public sealed record ComposedMessage(string To, string Cc, string Bcc, string Subject, string Text)
{
    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];

    /// <summary>The message replied to or forwarded (<see cref="Mode"/> says which), in one of the mailbox's folders.</summary>
    public (long FolderId, long Uid)? Original { get; init; }

    public ComposeMode Mode { get; init; }

    /// <summary>
    /// The draft in Drafts this message continues: its thread fields and the attachments named in
    /// <see cref="KeptAttachments"/> come from it, and saving or sending the message replaces it.
    /// </summary>
    public long? DraftUid { get; init; }

    /// <summary>The draft's attachments that stay, by <see cref="MessagePart.Path"/>.</summary>
    public IReadOnlyList<string> KeptAttachments { get; init; } = [];
}

public enum ComposeMode
{
    New,
    Reply,
    ReplyAll,
    Forward,
    ForwardAsAttachment,
}

/// <summary>What the compose form starts with: a reply to or forward of a message, or a saved draft.</summary>
public sealed record ComposeDraft(string To, string Cc, string Subject, string Text)
{
    public string Bcc { get; init; } = "";

    /// <summary>A saved draft's attachments (none for a reply or forward: those are derived again on sending).</summary>
    public IReadOnlyList<MessagePart> Attachments { get; init; } = [];
}

/// <summary>Where a draft was saved (its UID replaces the one it continued), with its attachments as now stored.</summary>
public sealed record SavedDraft(long FolderId, long Uid, IReadOnlyList<MessagePart> Attachments);

/// <summary>A message opened to read; <see cref="MarkedSeen"/> when opening it marked it \Seen (it was unread until now).</summary>
public sealed record OpenedMessage(MailFolder Folder, StoredMessage Message, byte[] Raw, bool MarkedSeen = false);

/// <summary>
/// What the user of a mailbox does with their own mail (the webmail): folders, lists, reading, flags, moving,
/// deleting. Every method starts from the signed-in address and refuses, as "not found", any folder or message
/// of another mailbox, so no page can reach mail by guessing an id. Changes go through <see cref="MessageStore"/>,
/// which announces them to IMAP IDLE at once.
/// </summary>
public sealed class UserMailService(IAccountStore accounts, MessageStore store, MailSubmission submission, TimeProvider time)
{
    /// <summary>At most this many messages of a folder are read for one recipient or body search (the newest that match the other criteria).</summary>
    public const int ScanLimit = 2_000;

    /// <summary>The largest message the server takes (Mailstead:Mail:MaxMessageBytes), attachments encoded.</summary>
    public long MaxMessageBytes => submission.MaxMessageBytes;

    private static readonly Problem NoSuchFolder = new(ProblemKind.NotFound, "There is no such folder.");
    private static readonly Problem NoSuchMessage = new(ProblemKind.NotFound, "There is no such message; it may have been moved or deleted.");

    private IMessageStore Metadata => store.Metadata;

    /// <summary>
    /// Calls <paramref name="changed"/> whenever mail in one of the mailbox's folders changes (a delivery, an IMAP
    /// client, another browser), until disposed; the webmail's open pages refresh on it. Folders made later are not
    /// watched. <paramref name="changed"/> runs on the thread that made the change: it must only signal.
    /// </summary>
    public async Task<Outcome<IDisposable>> WatchAsync(string address, Action changed, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (!mailbox.Succeeded)
        {
            return mailbox.Problem;
        }

        var folders = await Metadata.ListFoldersAsync(mailbox.Value.Id, cancellationToken).ConfigureAwait(false);
        return new Watch([.. folders.Select(f => store.Events.Subscribe(f.Id, changed))]);
    }

    private sealed class Watch(IReadOnlyList<IDisposable> subscriptions) : IDisposable
    {
        public void Dispose()
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }
    }

    /// <summary>INBOX and the special-use folders in their usual order, then the user's folders by name.</summary>
    public async Task<Outcome<IReadOnlyList<FolderSummary>>> FoldersAsync(string address, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (!mailbox.Succeeded)
        {
            return mailbox.Problem;
        }

        var folders = await store.FoldersAsync(mailbox.Value.Address, cancellationToken).ConfigureAwait(false);
        if (!folders.Succeeded)
        {
            return folders.Problem;
        }

        var counts = await Metadata.CountFoldersAsync(mailbox.Value.Id, cancellationToken).ConfigureAwait(false);
        return Outcome.Success<IReadOnlyList<FolderSummary>>([.. folders.Value
            .Select(f => counts.TryGetValue(f.Id, out var c) ? new FolderSummary(f, c.Messages, c.Unseen) : new FolderSummary(f, 0, 0))
            .OrderBy(f => f.Folder.Name == MailFolder.InboxName ? 0 : f.Folder.SpecialUse == SpecialUse.None ? int.MaxValue : (int)f.Folder.SpecialUse)
            .ThenBy(f => f.Folder.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    public async Task<Outcome<MailFolder>> FolderAsync(string address, long folderId, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        return mailbox.Succeeded ? await OwnFolderAsync(mailbox.Value, folderId, cancellationToken).ConfigureAwait(false) : mailbox.Problem;
    }

    public async Task<Outcome<MailFolder>> CreateFolderAsync(string address, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (!mailbox.Succeeded)
        {
            return mailbox.Problem;
        }

        name = name.Trim();
        if (NewNameProblem(name) is { } problem)
        {
            return problem;
        }

        await Metadata.EnsureDefaultFoldersAsync(mailbox.Value.Id, cancellationToken).ConfigureAwait(false);
        var created = await store.CreateFolderAsync(mailbox.Value.Id, name, SpecialUse.None, cancellationToken).ConfigureAwait(false);
        return created is null ? NameTaken(name) : created;
    }

    public async Task<Outcome<MailFolder>> RenameFolderAsync(string address, long folderId, string newName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newName);
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        newName = newName.Trim();
        if (Fixed(folder.Value, "renamed") is { } refused)
        {
            return refused;
        }

        if (NewNameProblem(newName) is { } problem)
        {
            return problem;
        }

        if (newName == folder.Value.Name)
        {
            return folder.Value;
        }

        return await Metadata.TryRenameFolderAsync(folder.Value.MailboxId, folder.Value.Name, newName, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success((await Metadata.GetFolderAsync(folderId, cancellationToken).ConfigureAwait(false))!)
            : NameTaken(newName);
    }

    /// <summary>Deletes a folder of the user's own and the messages in it; INBOX and the special folders stay.</summary>
    public async Task<Outcome<MailFolder>> DeleteFolderAsync(string address, long folderId, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        if (Fixed(folder.Value, "deleted") is { } refused)
        {
            return refused;
        }

        var unreferenced = await Metadata.DeleteFolderAsync(folder.Value.MailboxId, folder.Value.Name, cancellationToken).ConfigureAwait(false);
        foreach (var key in unreferenced ?? [])
        {
            store.Bodies.Delete(key);
        }

        // IMAP sessions with it selected learn at once that it is gone.
        store.Events.Publish(folder.Value.Id);
        return folder.Value;
    }

    /// <summary>
    /// A page of the folder's messages. Recipient and body criteria read the stored messages: at most
    /// <see cref="ScanLimit"/> of them (the newest that match the indexed criteria), which the result reports.
    /// </summary>
    public async Task<Outcome<MessageListing>> ListAsync(string address, long folderId, MailSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        if (!search.ReadsMessages)
        {
            var page = await Metadata.ListPageAsync(folderId, search.List, cancellationToken).ConfigureAwait(false);
            return await FromHeadersAsync(folder.Value, new MessageListing(page.Items, page.Total, 0, false), cancellationToken).ConfigureAwait(false);
        }

        var candidates = await Metadata.ListPageAsync(folderId, search.List with { Sort = MessageSort.Date, Descending = true, Offset = 0, Limit = ScanLimit }, cancellationToken).ConfigureAwait(false);
        var found = new List<StoredMessage>();
        foreach (var message in candidates.Items)
        {
            if (await MatchesAsync(message, search, cancellationToken).ConfigureAwait(false))
            {
                found.Add(message);
            }
        }

        IEnumerable<StoredMessage> ordered = (search.List.Sort, search.List.Descending) switch
        {
            (MessageSort.Sender, false) => found.OrderBy(m => m.From, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Uid),
            (MessageSort.Sender, true) => found.OrderByDescending(m => m.From, StringComparer.OrdinalIgnoreCase).ThenByDescending(m => m.Uid),
            (MessageSort.Subject, false) => found.OrderBy(m => m.Subject, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Uid),
            (MessageSort.Subject, true) => found.OrderByDescending(m => m.Subject, StringComparer.OrdinalIgnoreCase).ThenByDescending(m => m.Uid),
            (_, false) => found.OrderBy(m => m.InternalDate).ThenBy(m => m.Uid),
            _ => found,
        };
        var listing = new MessageListing([.. ordered.Skip(search.List.Offset).Take(search.List.Limit)], found.Count, candidates.Items.Count, candidates.Total > ScanLimit);
        return await FromHeadersAsync(folder.Value, listing, cancellationToken).ConfigureAwait(false);
    }

    // The header of each listed message only (a few hundred bytes each): RFC 2046 §5.1.3 multipart/mixed is how
    // mail programs send attachments, and what mail programs' lists mark before they parse the whole message. In the
    // folders of one's own mail, the recipients come from there too (the index keeps the sender only).
    private async Task<MessageListing> FromHeadersAsync(MailFolder folder, MessageListing listing, CancellationToken cancellationToken)
    {
        var ownMail = folder.SpecialUse is SpecialUse.Sent or SpecialUse.Drafts;
        var marked = new HashSet<long>();
        var recipients = new Dictionary<long, IReadOnlyList<NamedAddress>>();
        foreach (var message in listing.Items)
        {
            if (await store.Bodies.ReadHeaderAsync(message.BodyKey, cancellationToken).ConfigureAwait(false) is not { } header)
            {
                continue;
            }

            var root = MimeMessage.Parse(header).Root;
            if (root.ContentType.Is("multipart", "mixed"))
            {
                marked.Add(message.Uid);
            }

            if (ownMail)
            {
                recipients[message.Uid] = [.. MessageReplies.Addresses(root, "To"), .. MessageReplies.Addresses(root, "Cc"), .. MessageReplies.Addresses(root, "Bcc")];
            }
        }

        return listing with { WithAttachments = marked, Recipients = recipients };
    }

    /// <summary>The message and its bytes; marks it \Seen when asked (opening it to read), which IMAP clients see at once.</summary>
    public async Task<Outcome<OpenedMessage>> OpenAsync(string address, long folderId, long uid, bool markSeen, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        var rows = await Metadata.ListByUidAsync(folderId, uid, uid, cancellationToken).ConfigureAwait(false);
        var message = rows.Count > 0 ? rows[0] : null;
        var raw = message is null ? null : await store.Bodies.ReadAsync(message.BodyKey, cancellationToken).ConfigureAwait(false);
        if (message is null || raw is null)
        {
            return NoSuchMessage;
        }

        if (markSeen && !message.Flags.Has(SystemFlags.Seen))
        {
            var changed = await store.SetFlagsAsync(folderId, [uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), cancellationToken).ConfigureAwait(false);
            if (changed.Count > 0)
            {
                return new OpenedMessage(folder.Value, changed[0], raw, MarkedSeen: true);
            }
        }

        return new OpenedMessage(folder.Value, message, raw);
    }

    /// <summary>Adds or removes a flag (\Seen, \Flagged) on messages of the folder; returns how many changed.</summary>
    public async Task<Outcome<int>> SetFlagAsync(string address, long folderId, IReadOnlyCollection<long> uids, SystemFlags flag, bool set, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        var changed = await store.SetFlagsAsync(folderId, uids, set ? FlagChange.Add : FlagChange.Remove, MessageFlags.Of(flag), cancellationToken).ConfigureAwait(false);
        return changed.Count;
    }

    /// <summary>Moves messages to another folder of the same mailbox; returns how many moved.</summary>
    public async Task<Outcome<int>> MoveAsync(string address, long folderId, IReadOnlyCollection<long> uids, long targetFolderId, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        var target = await FolderAsync(address, targetFolderId, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Problem;
        }

        if (target.Value.Id == folderId)
        {
            return 0;
        }

        return (await store.CopyAsync(folderId, uids, targetFolderId, move: true, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary>Deletes messages: into Trash, or for good when they are in Trash already. Returns how many.</summary>
    public async Task<Outcome<int>> DeleteAsync(string address, long folderId, IReadOnlyCollection<long> uids, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(address, folderId, cancellationToken).ConfigureAwait(false);
        if (!folder.Succeeded)
        {
            return folder.Problem;
        }

        if (folder.Value.SpecialUse == SpecialUse.Trash)
        {
            return await DestroyAsync(folderId, uids, cancellationToken).ConfigureAwait(false);
        }

        var trash = await store.SpecialFolderAsync(folder.Value.MailboxId, SpecialUse.Trash, cancellationToken).ConfigureAwait(false);
        return (await store.CopyAsync(folderId, uids, trash.Id, move: true, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary>The compose form's start for a reply, reply all or forward of one of the mailbox's messages.</summary>
    public async Task<Outcome<ComposeDraft>> StartReplyOrForwardAsync(string address, long folderId, long uid, ComposeMode mode, CancellationToken cancellationToken)
    {
        var original = await OriginalAsync(address, folderId, uid, cancellationToken).ConfigureAwait(false);
        if (!original.Succeeded)
        {
            return original.Problem;
        }

        if (mode is ComposeMode.Reply or ComposeMode.ReplyAll)
        {
            var reply = MessageReplies.Reply(original.Value, address, mode == ComposeMode.ReplyAll);
            return new ComposeDraft(string.Join(", ", reply.To), string.Join(", ", reply.Cc), reply.Subject, reply.Text);
        }

        var forward = MessageReplies.ForwardInline(original.Value);
        return mode == ComposeMode.Forward
            ? new ComposeDraft("", "", forward.Subject, forward.Text)
            : new ComposeDraft("", "", forward.Subject, "");
    }

    private async Task<Outcome<MimeMessage>> OriginalAsync(string address, long folderId, long uid, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(address, folderId, uid, markSeen: false, cancellationToken).ConfigureAwait(false);
        return opened.Succeeded ? MimeMessage.Parse(opened.Value.Raw) : opened.Problem;
    }

    /// <summary>
    /// Sends as the signed-in mailbox through the same pipeline as SMTP submission (local recipients delivered now,
    /// others queued), with a copy in Sent. Refusals of the form come back per field (To, Cc, Bcc, Subject,
    /// Attachments); once the message is taken, each recipient's fate is in the result.
    /// </summary>
    public async Task<Outcome<SubmissionResult>> SendAsync(string address, ComposedMessage message, SubmissionTrace trace, CancellationToken cancellationToken)
    {
        var built = await BuildAsync(address, message, draft: false, cancellationToken).ConfigureAwait(false);
        if (!built.Succeeded)
        {
            return built.Problem;
        }

        var (sender, bytes) = built.Value;
        var sent = await submission.SubmitAsync(
            new Submission(sender, bytes.Recipients, bytes.Bytes, trace) { SaveToSent = true, SentCopy = bytes.WithBcc },
            cancellationToken).ConfigureAwait(false);
        if (sent.Succeeded && message.Original is { } replied && message.Mode is ComposeMode.Reply or ComposeMode.ReplyAll
            && sent.Value.Recipients.Any(r => r.Succeeded))
        {
            // \Answered, as mail programs set it: IMAP clients show the original as replied to.
            await SetFlagAsync(address, replied.FolderId, [replied.Uid], SystemFlags.Answered, set: true, cancellationToken).ConfigureAwait(false);
        }

        // A draft stays until every recipient has the message, so the ones refused can be tried again from it.
        if (sent.Succeeded && sent.Value.AllSucceeded && message.DraftUid is { } draftUid)
        {
            var drafts = await store.SpecialFolderAsync(sender.Id, SpecialUse.Drafts, cancellationToken).ConfigureAwait(false);
            await DestroyAsync(drafts.Id, [draftUid], cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    /// <summary>
    /// Saves what the compose form holds as a draft in Drafts (\Draft, with its Bcc field), replacing the draft it
    /// continues. Addresses that do not parse yet are left out of the draft (the form still has them); nothing else is
    /// checked, so a draft can be saved at any moment of writing.
    /// </summary>
    public async Task<Outcome<SavedDraft>> SaveDraftAsync(string address, ComposedMessage message, CancellationToken cancellationToken)
    {
        var built = await BuildAsync(address, message, draft: true, cancellationToken).ConfigureAwait(false);
        if (!built.Succeeded)
        {
            return built.Problem;
        }

        // The new draft is stored before the old one goes, so a failure in between leaves two drafts, never none.
        var (owner, draft) = built.Value;
        var drafts = await store.SpecialFolderAsync(owner.Id, SpecialUse.Drafts, cancellationToken).ConfigureAwait(false);
        var bytes = draft.WithBcc;
        var saved = await store.DeliverAsync(
            owner,
            new NewMessage(bytes) { Folder = drafts.Name, Flags = MessageFlags.Of(SystemFlags.Draft | SystemFlags.Seen) },
            createFolder: true,
            cancellationToken).ConfigureAwait(false);
        if (!saved.Succeeded)
        {
            return saved.Problem;
        }

        if (message.DraftUid is { } previous && previous != saved.Value.Uid)
        {
            await DestroyAsync(drafts.Id, [previous], cancellationToken).ConfigureAwait(false);
        }

        return new SavedDraft(drafts.Id, saved.Value.Uid, ReadableMessage.Read(bytes).Attachments);
    }

    /// <summary>A draft of the mailbox's Drafts folder, as the compose form starts with it to go on writing.</summary>
    public async Task<Outcome<ComposeDraft>> OpenDraftAsync(string address, long uid, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        var draft = mailbox.Succeeded ? await DraftMessageAsync(mailbox.Value, uid, cancellationToken).ConfigureAwait(false) : mailbox.Problem;
        if (!draft.Succeeded)
        {
            return draft.Problem;
        }

        var root = draft.Value.Mime.Root;
        string List(string field) => string.Join(", ", MessageReplies.Addresses(root, field));
        return new ComposeDraft(List("To"), List("Cc"), draft.Value.Subject.Trim(), MessageReplies.BodyText(draft.Value.Mime))
        {
            Bcc = List("Bcc"),
            Attachments = draft.Value.Attachments,
        };
    }

    /// <summary>Deletes a draft for good (the compose form's Discard).</summary>
    public async Task<Outcome<int>> DiscardDraftAsync(string address, long uid, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (!mailbox.Succeeded)
        {
            return mailbox.Problem;
        }

        var drafts = await store.SpecialFolderAsync(mailbox.Value.Id, SpecialUse.Drafts, cancellationToken).ConfigureAwait(false);
        return await DestroyAsync(drafts.Id, [uid], cancellationToken).ConfigureAwait(false);
    }

    // The message the form describes, from the signed-in mailbox, as bytes.
    private async Task<Outcome<(Mailbox Sender, BuiltMessage Message)>> BuildAsync(string address, ComposedMessage message, bool draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        var outgoing = mailbox.Succeeded ? await OutgoingAsync(mailbox.Value, message, draft, cancellationToken).ConfigureAwait(false) : mailbox.Problem;
        var built = outgoing.Succeeded ? MessageBuilder.Build(outgoing.Value, time) : outgoing.Problem;
        return built.Succeeded ? (mailbox.Value!, built.Value) : built.Problem;
    }

    // The thread fields and the attachments that come from elsewhere are derived here again, from the stored draft or
    // original, not taken from the form.
    private async Task<Outcome<OutgoingMessage>> OutgoingAsync(Mailbox mailbox, ComposedMessage message, bool draft, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>();
        var to = Addresses(message.To, "To", fields);
        var cc = Addresses(message.Cc, "Cc", fields);
        var bcc = Addresses(message.Bcc, "Bcc", fields);
        if (draft)
        {
            (to, cc, bcc) = (Parsed(to), Parsed(cc), Parsed(bcc));
        }
        else if (fields.Count == 0 && to.Count + cc.Count + bcc.Count == 0)
        {
            fields["To"] = "Enter at least one recipient.";
        }

        if (fields.Count > 0 && !draft)
        {
            return new Problem(ProblemKind.Invalid, fields.Values.First()) { Fields = fields };
        }

        var outgoing = new OutgoingMessage
        {
            From = new NamedAddress(mailbox.Address, mailbox.DisplayName),
            To = to,
            Cc = cc,
            Bcc = bcc,
            Subject = message.Subject,
            Text = message.Text,
            Attachments = message.Attachments,
            IsDraft = draft,
        };
        if (message.DraftUid is { } draftUid)
        {
            var saved = await DraftMessageAsync(mailbox, draftUid, cancellationToken).ConfigureAwait(false);
            if (!saved.Succeeded)
            {
                return saved.Problem;
            }

            var root = saved.Value.Mime.Root;
            var kept = saved.Value.Attachments
                .Where(part => message.KeptAttachments.Contains(part.Path))
                .Select(part => new OutgoingAttachment(part.DisplayName, saved.Value.Find(part.Path)!.DecodeContent(), part.MediaType))
                .ToList();
            var inReplyTo = root.Field("In-Reply-To")?.Value.Trim();
            return outgoing with
            {
                InReplyTo = inReplyTo is not null && MessageBuilder.IsMessageId(inReplyTo) ? inReplyTo : null,
                References = [.. (root.Field("References")?.Value ?? "").Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(MessageBuilder.IsMessageId)],
                Attachments = [.. kept, .. message.Attachments],
            };
        }

        if (message.Original is { } reference && message.Mode != ComposeMode.New)
        {
            var original = await OriginalAsync(mailbox.Address, reference.FolderId, reference.Uid, cancellationToken).ConfigureAwait(false);
            if (!original.Succeeded)
            {
                return original.Problem;
            }

            if (message.Mode is ComposeMode.Reply or ComposeMode.ReplyAll)
            {
                var thread = MessageReplies.Reply(original.Value, mailbox.Address, replyAll: false);
                return outgoing with { InReplyTo = thread.InReplyTo, References = thread.References };
            }

            return outgoing with
            {
                Attachments = message.Mode == ComposeMode.Forward
                    ? [.. message.Attachments, .. MessageReplies.ForwardInline(original.Value).Attachments]
                    : [.. message.Attachments, OutgoingAttachment.Message(original.Value)],
            };
        }

        return outgoing;

        static List<NamedAddress> Parsed(List<NamedAddress> typed) => [.. typed.Where(a => EmailAddress.TryParse(a.Address, out _, out _))];
    }

    private async Task<Outcome<ReadableMessage>> DraftMessageAsync(Mailbox mailbox, long uid, CancellationToken cancellationToken)
    {
        var drafts = await store.SpecialFolderAsync(mailbox.Id, SpecialUse.Drafts, cancellationToken).ConfigureAwait(false);
        var opened = await OpenAsync(mailbox.Address, drafts.Id, uid, markSeen: false, cancellationToken).ConfigureAwait(false);
        return opened.Succeeded ? ReadableMessage.Read(opened.Value.Raw) : opened.Problem;
    }

    // RFC 5322 §3.4 address lists as typed; a group's members count, its name does not. Anything that is not an
    // address is refused by name, so nothing typed is silently dropped.
    private static List<NamedAddress> Addresses(string typed, string field, Dictionary<string, string> problems)
    {
        var addresses = new List<NamedAddress>();
        if (string.IsNullOrWhiteSpace(typed))
        {
            return addresses;
        }

        foreach (var parsed in AddressListParser.Parse(typed).SelectMany(a => a switch
        {
            MailboxAddress one => [one],
            GroupAddress group => group.Members,
            _ => [],
        }))
        {
            addresses.Add(new NamedAddress(parsed.LocalPart + "@" + parsed.Domain, parsed.DisplayName));
        }

        var bad = addresses.FirstOrDefault(a => !EmailAddress.TryParse(a.Address, out _, out _));
        if (bad is not null || addresses.Count == 0)
        {
            problems[field] = bad is null ? $"\"{typed.Trim()}\" is not an email address." : $"\"{bad.Address}\" is not an email address.";
        }

        return addresses;
    }

    /// <summary>Deletes every message in Trash for good; returns how many.</summary>
    public async Task<Outcome<int>> EmptyTrashAsync(string address, CancellationToken cancellationToken)
    {
        var mailbox = await MailboxAsync(address, cancellationToken).ConfigureAwait(false);
        if (!mailbox.Succeeded)
        {
            return mailbox.Problem;
        }

        var trash = await store.SpecialFolderAsync(mailbox.Value.Id, SpecialUse.Trash, cancellationToken).ConfigureAwait(false);
        var uids = await Metadata.ListUidsAsync(trash.Id, cancellationToken).ConfigureAwait(false);
        return await DestroyAsync(trash.Id, uids, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> DestroyAsync(long folderId, IReadOnlyCollection<long> uids, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return 0;
        }

        await store.SetFlagsAsync(folderId, uids, FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), cancellationToken).ConfigureAwait(false);
        return (await store.ExpungeAsync(folderId, uids, cancellationToken).ConfigureAwait(false)).Count;
    }

    private async Task<bool> MatchesAsync(StoredMessage message, MailSearch search, CancellationToken cancellationToken)
    {
        if (search.Body is not { Length: > 0 })
        {
            var header = await store.Bodies.ReadHeaderAsync(message.BodyKey, cancellationToken).ConfigureAwait(false);
            return header is { } bytes && Contains(ReadableMessage.Read(bytes).To, search.To!);
        }

        var raw = await store.Bodies.ReadAsync(message.BodyKey, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return false;
        }

        var readable = ReadableMessage.Read(raw);
        return (search.To is not { Length: > 0 } to || Contains(readable.To, to))
            && ((readable.Text?.Contains(search.Body, StringComparison.OrdinalIgnoreCase) ?? false)
                || (readable.Html?.Contains(search.Body, StringComparison.OrdinalIgnoreCase) ?? false));
    }

    private static bool Contains(IReadOnlyList<string> addresses, string term) =>
        addresses.Any(a => a.Contains(term, StringComparison.OrdinalIgnoreCase));

    private async Task<Outcome<Mailbox>> MailboxAsync(string address, CancellationToken cancellationToken)
    {
        var mailbox = await accounts.FindMailboxAsync(address, cancellationToken).ConfigureAwait(false);
        return mailbox is null ? new Problem(ProblemKind.NotFound, "There is no such mailbox.")
            : mailbox.Disabled ? new Problem(ProblemKind.Denied, "This mailbox is disabled.")
            : mailbox;
    }

    private async Task<Outcome<MailFolder>> OwnFolderAsync(Mailbox mailbox, long folderId, CancellationToken cancellationToken)
    {
        var folder = await Metadata.GetFolderAsync(folderId, cancellationToken).ConfigureAwait(false);
        return folder is not null && folder.MailboxId == mailbox.Id ? folder : NoSuchFolder;
    }

    private static Problem? NewNameProblem(string name) =>
        MailFolder.InvalidName(name) is { } invalid ? FieldProblem(ProblemKind.Invalid, invalid)
        : name.Equals(MailFolder.InboxName, StringComparison.OrdinalIgnoreCase) ? FieldProblem(ProblemKind.Duplicate, "INBOX always exists.")
        : null;

    private static Problem NameTaken(string name) => FieldProblem(ProblemKind.Duplicate, $"A folder named \"{name}\" exists already.");

    private static Problem? Fixed(MailFolder folder, string verb) =>
        folder.Name == MailFolder.InboxName ? new Problem(ProblemKind.Denied, $"INBOX cannot be {verb}: new mail arrives there.")
        : folder.SpecialUse != SpecialUse.None ? new Problem(ProblemKind.Denied, $"{folder.Name} cannot be {verb}: it is the {folder.SpecialUse.ToString().ToLowerInvariant()} folder that mail programs and the webmail rely on.")
        : null;

    private static Problem FieldProblem(ProblemKind kind, string message) =>
        new(kind, message) { Fields = new Dictionary<string, string> { ["Name"] = message } };
}
