using System.Buffers;
using System.Globalization;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND (RFC 3501 §6.3.3-11), with
// SPECIAL-USE (RFC 6154), CHILDREN (RFC 3348) and UIDPLUS's APPENDUID (RFC 4315 §3).
internal sealed partial class ImapSession
{
    private static readonly (SpecialUse Use, string Attribute)[] SpecialUses =
    [
        (SpecialUse.Drafts, @"\Drafts"),
        (SpecialUse.Sent, @"\Sent"),
        (SpecialUse.Junk, @"\Junk"),
        (SpecialUse.Trash, @"\Trash"),
        (SpecialUse.Archive, @"\Archive"),
    ];

    /// <summary>Why a folder may not be created or renamed to <paramref name="name"/>; null when it may.</summary>
    private static Reply? NewNameRefusal(string name) =>
        MailFolder.InvalidName(name) is { } problem ? Reply.No($"[CANNOT] {problem}")
        : name == MailFolder.InboxName ? Reply.No("[ALREADYEXISTS] INBOX always exists.")
        : null;

    private async Task<Reply> CreateAsync(CreateCommand create)
    {
        // RFC 3501 §6.3.3: a trailing delimiter declares that names will be created below; the name is the same.
        var name = create.Mailbox.TrimEnd(MailFolder.Delimiter);
        if (NewNameRefusal(name) is { } refused)
        {
            return refused;
        }

        var use = SpecialUse.None;
        foreach (var attribute in create.SpecialUse)
        {
            var known = SpecialUses.FirstOrDefault(s => s.Attribute.Equals(attribute, StringComparison.OrdinalIgnoreCase));
            if (known.Attribute is null)
            {
                // RFC 6154 §5.3.
                return Reply.No($"[USEATTR] {attribute} is not a special use this server knows.");
            }

            use = known.Use;
        }

        var created = await Store.CreateFolderAsync(_mailboxId, name, use, Ended).ConfigureAwait(false);
        return created is null ? Reply.No("[ALREADYEXISTS] A folder of that name exists.") : Reply.Ok("CREATE completed.");
    }

    /// <summary>
    /// RFC 3501 §6.3.4: INBOX cannot be deleted. A folder with subfolders may be: its name then stays as a
    /// \Noselect level of the hierarchy.
    /// </summary>
    private async Task<Reply> DeleteAsync(MailboxCommand delete)
    {
        if (delete.Mailbox == MailFolder.InboxName)
        {
            return Reply.No("[CANNOT] INBOX cannot be deleted.");
        }

        var folder = await Store.Metadata.FindFolderAsync(_mailboxId, delete.Mailbox, Ended).ConfigureAwait(false);
        var unreferenced = folder is null ? null : await Store.Metadata.DeleteFolderAsync(_mailboxId, folder.Name, Ended).ConfigureAwait(false);
        if (folder is null || unreferenced is null)
        {
            return Reply.No("[NONEXISTENT] There is no such folder.");
        }

        foreach (var key in unreferenced)
        {
            Store.Bodies.Delete(key);
        }

        // Other sessions with it selected learn at once that it is gone.
        Store.Events.Publish(folder.Id);
        return Reply.Ok("DELETE completed.");
    }

    /// <summary>
    /// RFC 3501 §6.3.5. Renaming INBOX moves its messages into a new folder and leaves INBOX empty; its
    /// subfolders stay where they are.
    /// </summary>
    private async Task<Reply> RenameAsync(RenameCommand rename)
    {
        var to = rename.To.TrimEnd(MailFolder.Delimiter);
        if (NewNameRefusal(to) is { } refused)
        {
            return refused;
        }

        var source = await Store.Metadata.FindFolderAsync(_mailboxId, rename.From, Ended).ConfigureAwait(false);
        if (source is null)
        {
            return Reply.No("[NONEXISTENT] There is no such folder.");
        }

        if (source.Name != MailFolder.InboxName)
        {
            return await Store.Metadata.TryRenameFolderAsync(_mailboxId, source.Name, to, Ended).ConfigureAwait(false)
                ? Reply.Ok("RENAME completed.")
                : Reply.No("[ALREADYEXISTS] A folder of that name exists.");
        }

        var target = await Store.Metadata.TryCreateFolderAsync(_mailboxId, to, SpecialUse.None, Ended).ConfigureAwait(false);
        if (target is null)
        {
            return Reply.No("[ALREADYEXISTS] A folder of that name exists.");
        }

        var uids = await Store.Metadata.ListUidsAsync(source.Id, Ended).ConfigureAwait(false);
        if (uids.Count > 0)
        {
            await Store.CopyAsync(source.Id, [.. uids], target.Id, move: true, Ended).ConfigureAwait(false);
        }

        return Reply.Ok("RENAME completed: INBOX's messages moved.");
    }

    private async Task<Reply> SubscribeAsync(MailboxCommand command)
    {
        var subscribe = command.Name == ImapCommandName.Subscribe;
        var done = await Store.Metadata.SetSubscribedAsync(_mailboxId, command.Mailbox, subscribe, Ended).ConfigureAwait(false);
        return done
            ? Reply.Ok(subscribe ? "SUBSCRIBE completed." : "UNSUBSCRIBE completed.")
            : Reply.No("[NONEXISTENT] There is no such folder.");
    }

    /// <summary>
    /// LIST and LSUB (RFC 3501 §6.3.8-9), with LIST-EXTENDED's selection and return options (RFC 9051 §6.3.9, RFC
    /// 5258). Levels of the hierarchy that are not folders themselves are listed as not selectable; every name says
    /// whether it has children (RFC 3348) and its special use (RFC 6154 §2). REMOTE selects nothing more: there are
    /// no remote mailboxes here (§6.3.9.1).
    /// </summary>
    private async Task<Reply> ListAsync(ListCommand list)
    {
        var lsub = list.Name == ImapCommandName.Lsub;
        var verb = lsub ? "LSUB" : "LIST";
        if (!lsub && !list.Extended && list.Patterns is [""])
        {
            // §6.3.8: an empty pattern asks for the delimiter and the root of the reference (basic syntax only, §6.3.9).
            Untagged(@"* LIST (\Noselect) ""/"" """"");
            return Reply.Ok("LIST completed.");
        }

        var folders = await Store.Metadata.ListFoldersAsync(_mailboxId, Ended).ConfigureAwait(false);
        var byName = folders.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var names = new SortedSet<string>(byName.Keys, StringComparer.Ordinal);
        foreach (var name in byName.Keys)
        {
            for (var slash = name.IndexOf(MailFolder.Delimiter, StringComparison.Ordinal); slash > 0; slash = name.IndexOf(MailFolder.Delimiter, slash + 1))
            {
                names.Add(name[..slash]);
            }
        }

        var subscribedOnly = lsub || list.Selection.HasFlag(ListSelection.Subscribed);
        var specialUseOnly = list.Selection.HasFlag(ListSelection.SpecialUse);
        bool Selected(MailFolder? folder) =>
            (!subscribedOnly || folder is { Subscribed: true })
            && (!specialUseOnly || folder is { SpecialUse: not (SpecialUse.None or SpecialUse.Inbox) });

        // §6.3.9: in the extended syntax an empty pattern is ignored.
        var patterns = list.Patterns.Where(p => !list.Extended || p.Length > 0).Select(p => MailboxPattern.Combine(list.Reference, p)).ToList();
        bool Matches(string name) => patterns.Any(p => MailboxPattern.Matches(p, name));

        // The SUBSCRIBED selection implies the SUBSCRIBED return option (§6.3.9.1).
        var showSubscribed = !lsub && (list.Return.HasFlag(ListReturn.Subscribed) || list.Selection.HasFlag(ListSelection.Subscribed));
        var recursiveMatch = list.Selection.HasFlag(ListSelection.RecursiveMatch);
        foreach (var name in names.OrderBy(n => n == MailFolder.InboxName ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal))
        {
            if (!Matches(name))
            {
                continue;
            }

            var folder = byName.GetValueOrDefault(name);
            var selected = Selected(folder);
            // §6.3.9.3 2B and §6.3.9.6: RECURSIVEMATCH also lists a name, with CHILDINFO, for a descendant that meets the
            // selection criteria but is not listed itself (CHILDINFO for descendants listed anyway would be redundant).
            var childInfo = recursiveMatch && folders.Any(d =>
                d.Name.StartsWith(name + MailFolder.Delimiter, StringComparison.Ordinal) && Selected(d) && !Matches(d.Name));
            if (!selected && !childInfo)
            {
                continue;
            }

            var attributes = ListAttributes(folder, HasChildren(names, name));
            if (showSubscribed && folder is { Subscribed: true })
            {
                attributes.Add(@"\Subscribed");
            }

            // RECURSIVEMATCH needs SUBSCRIBED, the only base selection option (§9 list-select-opts).
            Untagged(ListResponse(verb, attributes, name, childInfo ? @" (""CHILDINFO"" (""SUBSCRIBED""))" : ""));
            if (!lsub && list.ReturnStatus != StatusItems.None && folder is not null && selected)
            {
                // RFC 5819 §2, RFC 9051 §6.3.9.2: every selectable folder listed for the criteria is followed by its STATUS.
                Untagged(await StatusResponseAsync(folder, list.ReturnStatus).ConfigureAwait(false));
            }
        }

        return Reply.Ok($"{verb} completed.");
    }

    /// <summary>A LIST or LSUB response (RFC 9051 §7.3.1 mailbox-list); <paramref name="extended"/> is " (mbox-list-extended)" or empty.</summary>
    private string ListResponse(string verb, IEnumerable<string> attributes, string name, string extended = "") =>
        $"* {verb} ({string.Join(' ', attributes)}) \"/\" {MailboxName(name)}{extended}";

    /// <summary>
    /// What a name is, for LIST and SELECT: not selectable when it is only a level of the hierarchy, whether it has
    /// children (RFC 3348, always: a server MAY, RFC 9051 §6.3.9.5) and the folder's special use (RFC 6154 §2).
    /// </summary>
    private List<string> ListAttributes(MailFolder? folder, bool hasChildren)
    {
        var attributes = new List<string>();
        if (folder is null)
        {
            attributes.Add(NotAMailbox);
        }

        attributes.Add(hasChildren ? @"\HasChildren" : @"\HasNoChildren");
        if (folder is not null && SpecialUses.FirstOrDefault(s => s.Use == folder.SpecialUse).Attribute is { } use)
        {
            attributes.Add(use);
        }

        return attributes;
    }

    /// <summary>Whether a name among <paramref name="names"/> is below <paramref name="name"/> in the hierarchy.</summary>
    private static bool HasChildren(SortedSet<string> names, string name) =>
        names.GetViewBetween(name + MailFolder.Delimiter, name + (char)(MailFolder.Delimiter + 1)).Count > 0;

    /// <summary>RFC 3501 §6.3.10.</summary>
    private async Task<Reply> StatusAsync(StatusCommand status)
    {
        var folder = await Store.Metadata.FindFolderAsync(_mailboxId, status.Mailbox, Ended).ConfigureAwait(false);
        if (folder is null)
        {
            return Reply.No("[NONEXISTENT] There is no such folder.");
        }

        Untagged(await StatusResponseAsync(folder, status.Items).ConfigureAwait(false));
        return Reply.Ok("STATUS completed.");
    }

    /// <summary>
    /// The untagged STATUS of a folder, for STATUS and LIST RETURN (STATUS) (RFC 5819). RECENT counts the messages no
    /// read-write session has been told of; SIZE is RFC 8438's, DELETED RFC 9051's.
    /// </summary>
    private async Task<string> StatusResponseAsync(MailFolder folder, StatusItems wanted)
    {
        if (wanted.HasFlag(StatusItems.HighestModSeq))
        {
            EnableCondStore();
        }

        var counts = (wanted & (StatusItems.Messages | StatusItems.Unseen | StatusItems.Deleted)) != 0
            ? await Store.Metadata.CountAsync(folder.Id, Ended).ConfigureAwait(false)
            : null;
        var recent = wanted.HasFlag(StatusItems.Recent)
            ? await Store.Metadata.CountFromUidAsync(folder.Id, folder.FirstRecentUid, Ended).ConfigureAwait(false)
            : 0;
        var items = new List<string>();
        void Add(StatusItems item, string name, long value)
        {
            if (wanted.HasFlag(item))
            {
                items.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }

        Add(StatusItems.Messages, "MESSAGES", counts?.Messages ?? 0);
        Add(StatusItems.Recent, "RECENT", recent);
        Add(StatusItems.UidNext, "UIDNEXT", folder.UidNext);
        Add(StatusItems.UidValidity, "UIDVALIDITY", folder.UidValidity);
        Add(StatusItems.Unseen, "UNSEEN", counts?.Unseen ?? 0);
        Add(StatusItems.Deleted, "DELETED", counts?.Deleted ?? 0);
        Add(StatusItems.Size, "SIZE", folder.TotalBytes);
        Add(StatusItems.HighestModSeq, "HIGHESTMODSEQ", folder.HighestModSeq);
        return $"* STATUS {MailboxName(folder.Name)} ({string.Join(' ', items)})";
    }

    /// <summary>
    /// RFC 3501 §6.3.11. Each message is on disk before the tagged OK (the store writes it durably); a missing
    /// folder is [TRYCREATE], a full mailbox [OVERQUOTA] (RFC 5530), and the new UIDs come back as APPENDUID.
    /// The delivery finds the folder (no lookup of it here) and gives its UIDVALIDITY.
    /// </summary>
    private async Task<Reply> AppendAsync(AppendCommand append)
    {
        var uids = new List<long>();
        long uidValidity = 0;
        foreach (var message in append.Messages)
        {
            if (!ImapFlags.TryParse(message.Flags, out var flags, out var error))
            {
                return Reply.Bad(error!);
            }

            if (message.Content.Length > _services.Mail.MaxMessageBytes)
            {
                return Reply.No($"[TOOBIG] The largest message accepted is {_services.Mail.MaxMessageBytes} bytes.");
            }

            var stored = await Store.DeliverAsync(
                _user!.Address,
                new NewMessage(BuffersExtensions.ToArray(message.Content)) { Folder = append.Mailbox, Flags = flags, InternalDate = message.InternalDate?.UtcDateTime },
                Ended).ConfigureAwait(false);
            if (!stored.Succeeded)
            {
                return stored.Problem.Kind switch
                {
                    ProblemKind.Denied => Reply.No($"[OVERQUOTA] {stored.Problem.Message}"),
                    ProblemKind.NotFound => Reply.No("[TRYCREATE] There is no such folder."),
                    ProblemKind.Invalid => Reply.No($"[LIMIT] {stored.Problem.Message}"),
                    _ => Reply.No(stored.Problem.Message),
                };
            }

            uids.Add(stored.Value.Uid);
            uidValidity = stored.Value.UidValidity;
        }

        return Reply.Ok($"[APPENDUID {uidValidity} {NumberSet(uids)}] APPEND completed.");
    }

    /// <summary>A quoted string (RFC 3501 §4.3; UTF-8 text only in IMAP4rev2, RFC 9051 §9 QUOTED-CHAR): see <see cref="MailboxName"/>.</summary>
    private static string Quoted(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A uid-set (RFC 4315 §4) or sequence-set in the given order, runs of consecutive numbers collapsed to ranges.</summary>
    internal static string NumberSet(IReadOnlyList<long> uids)
    {
        var text = new StringBuilder();
        for (var i = 0; i < uids.Count; i++)
        {
            var start = i;
            while (i + 1 < uids.Count && uids[i + 1] == uids[i] + 1)
            {
                i++;
            }

            text.Append(text.Length > 0 ? "," : "").Append(uids[start].ToString(CultureInfo.InvariantCulture));
            if (i > start)
            {
                text.Append(':').Append(uids[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
