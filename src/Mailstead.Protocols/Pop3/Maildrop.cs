using System.Globalization;
using Mailstead.Core.Mail;

namespace Mailstead.Protocols.Pop3;

internal sealed class MaildropMessage(int number, MessageEntry message, long uidValidity)
{
    public int Number { get; } = number;

    public MessageEntry Message { get; } = message;

    /// <summary>RFC 1939 §7 unique-id: stable across sessions, never reused (UIDVALIDITY and UID, as Dovecot builds it).</summary>
    public string UniqueId { get; } = string.Create(CultureInfo.InvariantCulture, $"{uidValidity:x8}{message.Uid:x8}");

    public bool Deleted { get; set; }
}

/// <summary>INBOX as POP3 sees it: the messages present at sign-in, numbered from 1, with DELE marks kept until QUIT.</summary>
internal sealed class Maildrop
{
    private readonly MailFolder _inbox;
    private readonly IReadOnlyList<MaildropMessage> _messages;

    private Maildrop(MailFolder inbox, IReadOnlyList<MaildropMessage> messages)
    {
        _inbox = inbox;
        _messages = messages;
    }

    public static async Task<Maildrop?> OpenAsync(MessageStore store, string address, CancellationToken cancellationToken)
    {
        var folders = await store.FoldersAsync(address, cancellationToken).ConfigureAwait(false);
        var inbox = folders.Value?.FirstOrDefault(f => f.Name == MailFolder.InboxName);
        if (inbox is null)
        {
            return null;
        }

        var rows = await store.Metadata.ListEntriesAsync(inbox.Id, 1, long.MaxValue, cancellationToken).ConfigureAwait(false);
        return new Maildrop(inbox, [.. rows.Select((m, i) => new MaildropMessage(i + 1, m, inbox.UidValidity))]);
    }

    public IEnumerable<MaildropMessage> Present => _messages.Where(m => !m.Deleted);

    public int Count => Present.Count();

    public long TotalSize => Present.Sum(m => m.Message.Size);

    /// <summary>The message a client names by number; null when there is none or it is marked deleted (RFC 1939 §5).</summary>
    public MaildropMessage? Find(string number) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= _messages.Count && !_messages[n - 1].Deleted
            ? _messages[n - 1]
            : null;

    public void Undelete()
    {
        foreach (var message in _messages)
        {
            message.Deleted = false;
        }
    }

    /// <summary>The UPDATE state (RFC 1939 §6): removes the messages marked with DELE; returns how many.</summary>
    public async Task<int> CommitDeletionsAsync(MessageStore store, CancellationToken cancellationToken)
    {
        var uids = _messages.Where(m => m.Deleted).Select(m => m.Message.Uid).ToArray();
        if (uids.Length == 0)
        {
            return 0;
        }

        await store.SetFlagsAsync(_inbox.Id, uids, FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), cancellationToken).ConfigureAwait(false);
        return (await store.ExpungeAsync(_inbox.Id, uids, cancellationToken).ConfigureAwait(false)).Count;
    }
}
