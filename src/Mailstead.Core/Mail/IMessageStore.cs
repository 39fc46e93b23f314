namespace Mailstead.Core.Mail;

/// <summary>
/// Folders and message metadata, implemented by Mailstead.Storage. Bodies are written by <see cref="IBodyStore"/>
/// first; the methods here only commit rows. Every change to a message takes the folder's next modseq, and a
/// new message the folder's next UID, in the same transaction.
/// </summary>
public interface IMessageStore
{
    /// <summary>Creates the default folders (<see cref="MailFolder.Defaults"/>) that do not exist yet; idempotent.</summary>
    Task EnsureDefaultFoldersAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Folders of the mailbox, by name.</summary>
    Task<IReadOnlyList<MailFolder>> ListFoldersAsync(long mailboxId, CancellationToken cancellationToken);

    Task<MailFolder?> FindFolderAsync(long mailboxId, string name, CancellationToken cancellationToken);

    /// <summary>The folder as it is now (its name may have changed since it was opened); null when it was deleted.</summary>
    Task<MailFolder?> GetFolderAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>Marks the folder subscribed or not (IMAP SUBSCRIBE, RFC 3501 §6.3.6); false when there is no such folder.</summary>
    Task<bool> SetSubscribedAsync(long mailboxId, string name, bool subscribed, CancellationToken cancellationToken);

    /// <summary>Creates the folder; null when one of that name exists.</summary>
    Task<MailFolder?> TryCreateFolderAsync(long mailboxId, string name, SpecialUse use, CancellationToken cancellationToken);

    /// <summary>Renames the folder and its children ("a" → "b" also moves "a/x" to "b/x"); false when the target exists or the source is gone.</summary>
    Task<bool> TryRenameFolderAsync(long mailboxId, string from, string to, CancellationToken cancellationToken);

    /// <summary>Deletes the folder and its messages; returns the body keys no longer referenced anywhere, or null when there was no folder.</summary>
    Task<IReadOnlyList<string>?> DeleteFolderAsync(long mailboxId, string name, CancellationToken cancellationToken);

    /// <summary>Adds the metadata of a body already written; returns the row with its UID and modseq.</summary>
    Task<StoredMessage> AppendAsync(long folderId, StoredMessage message, CancellationToken cancellationToken);

    /// <summary>Messages with <paramref name="firstUid"/> ≤ UID ≤ <paramref name="lastUid"/>, by UID.</summary>
    Task<IReadOnlyList<StoredMessage>> ListByUidAsync(long folderId, long firstUid, long lastUid, CancellationToken cancellationToken);

    /// <summary>The entries of the messages with UIDs in [first, last], in UID order: as <see cref="ListByUidAsync"/>, without the list summary.</summary>
    Task<IReadOnlyList<MessageEntry>> ListEntriesAsync(long folderId, long firstUid, long lastUid, CancellationToken cancellationToken);

    /// <summary>The UIDs of the folder in order: how a folder snapshot learns which messages were expunged since it was taken.</summary>
    Task<IReadOnlyList<long>> ListUidsAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>
    /// The folder row and its messages whose modseq is above <paramref name="modSeq"/> (new or changed since then, by
    /// UID), read from one snapshot of the database, so the folder's message count and the changes agree; null when
    /// the folder was deleted.
    /// </summary>
    Task<FolderChanges?> ReadChangesSinceAsync(long folderId, long modSeq, CancellationToken cancellationToken);

    /// <summary>How many messages the folder holds and how many of them lack \Seen (IMAP STATUS, RFC 3501 §6.3.10).</summary>
    Task<FolderCounts> CountAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>How many messages of the folder have a UID of at least <paramref name="firstUid"/> (IMAP STATUS RECENT).</summary>
    Task<int> CountFromUidAsync(long folderId, long firstUid, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the folder's <see cref="MailFolder.FirstRecentUid"/> up to <paramref name="uid"/> (never down): a
    /// read-write session has told its client of every message below it, so they are no longer \Recent for others.
    /// </summary>
    Task ClaimRecentAsync(long folderId, long uid, CancellationToken cancellationToken);

    /// <summary>How many messages, and how many unseen, in each folder of the mailbox (folders without messages are absent), in one query.</summary>
    Task<IReadOnlyDictionary<long, FolderCounts>> CountFoldersAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the folder's messages matching <paramref name="query"/>, in its order (ties broken by UID), and
    /// how many match in all. Served by the folder's sort indexes: the page costs the rows it skips in the index
    /// and the rows it returns, never a load or a sort of the whole folder.
    /// </summary>
    Task<MessagePage> ListPageAsync(long folderId, MessageListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Rows whose subject or sender still holds RFC 2047 encoded words or a quoted name, as stored before summaries
    /// were decoded at delivery; at most <paramref name="limit"/>, by id, after <paramref name="afterId"/>.
    /// </summary>
    Task<IReadOnlyList<StoredMessage>> ListRawSummariesAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the list summary (subject, sender) of one row; flags and modseq stay as they are.</summary>
    Task SetSummaryAsync(long messageId, string? subject, string? from, CancellationToken cancellationToken);

    /// <summary>Changes the flags of the given UIDs; each changed message gets a new modseq. Returns the changed rows.</summary>
    Task<IReadOnlyList<StoredMessage>> SetFlagsAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, CancellationToken cancellationToken);

    /// <summary>
    /// STORE (UNCHANGEDSINCE n), RFC 7162 §3.1.3: as <see cref="SetFlagsAsync"/>, except that a message whose modseq
    /// is above <paramref name="unchangedSince"/> is left as it is and listed in <see cref="ConditionalFlagChange.Modified"/>.
    /// The test and the change are one transaction, so no other change can slip in between them.
    /// </summary>
    Task<ConditionalFlagChange> SetFlagsUnlessChangedAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, long unchangedSince, CancellationToken cancellationToken);

    /// <summary>Removes messages flagged \Deleted (all, or only these UIDs: UID EXPUNGE); returns the expunged UIDs and the bodies now unreferenced.</summary>
    Task<ExpungeResult> ExpungeAsync(long folderId, IReadOnlyCollection<long>? uids, CancellationToken cancellationToken);

    /// <summary>Copies (or moves) messages to another folder of the same mailbox; returns source UID → new UID (RFC 4315 COPYUID).</summary>
    Task<IReadOnlyList<(long Source, long Target)>> CopyAsync(long folderId, IReadOnlyCollection<long> uids, long targetFolderId, bool move, CancellationToken cancellationToken);

    /// <summary>Bytes of all messages of the mailbox (a body copied into two folders counts twice, as IMAP QUOTA does).</summary>
    Task<long> UsageAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="keys"/> that some message row still names.</summary>
    Task<IReadOnlySet<string>> ReferencedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Whether a message with this import key is already in the mailbox.</summary>
    Task<bool> HasImportedAsync(long mailboxId, string importKey, CancellationToken cancellationToken);
}

public sealed record FolderCounts(int Messages, int Unseen, int Deleted);

/// <summary>The orders a folder's message list can be read in; each has an index (folder, column, UID).</summary>
public enum MessageSort
{
    Date,
    Sender,
    Subject,
}

/// <summary>
/// A page of a message list. Text criteria match a part of the stored (decoded) sender or subject, ignoring case;
/// dates are the received date (<see cref="StoredMessage.InternalDate"/>), <see cref="Since"/> inclusive and
/// <see cref="Before"/> exclusive.
/// </summary>
public sealed record MessageListQuery
{
    public MessageSort Sort { get; init; } = MessageSort.Date;

    public bool Descending { get; init; } = true;

    public int Offset { get; init; }

    public int Limit { get; init; } = 50;

    public string? From { get; init; }

    public string? Subject { get; init; }

    public DateTime? Since { get; init; }

    public DateTime? Before { get; init; }
}

public sealed record MessagePage(IReadOnlyList<StoredMessage> Items, int Total);

public sealed record ExpungeResult(IReadOnlyList<long> Uids, IReadOnlyList<string> UnreferencedBodies);

/// <summary>
/// The rows a flag change changed; the UIDs it refused because they had changed since (RFC 7162 MODIFIED), and those
/// it refused because their keywords would pass <see cref="MessageFlags.MaxStoredKeywordsLength"/>.
/// </summary>
public sealed record ConditionalFlagChange(IReadOnlyList<StoredMessage> Changed, IReadOnlyList<long> Modified)
{
    public IReadOnlyList<long> TooManyKeywords { get; init; } = [];
}

/// <summary>A folder as it is now and what changed in it since a modseq (<see cref="IMessageStore.ReadChangesSinceAsync"/>).</summary>
public sealed record FolderChanges(MailFolder Folder, IReadOnlyList<MessageEntry> Changed);
