using System.Text;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Imap;

/// <summary>
/// One message as SEARCH sees it: its row, its numbers and, for the header and text keys, its decoded header
/// (<see cref="SearchableHeader"/>) and, for the text keys, its parsed body, whose decoded text is worked out on first use.
/// </summary>
internal sealed class SearchCandidate(int sequence, MessageEntry message, bool recent, string? header, MimeMessage? body, uint largestSequence, uint largestUid, IReadOnlySet<long> savedResult)
{
    private string? _bodyText;

    public int Sequence { get; } = sequence;

    public MessageEntry Message { get; } = message;

    /// <summary>\Recent in the searching session (RFC 3501 §2.3.2).</summary>
    public bool Recent { get; } = recent;

    public uint LargestSequence { get; } = largestSequence;

    public uint LargestUid { get; } = largestUid;

    /// <summary>The UIDs "$" stands for (RFC 9051 §6.4.4.1).</summary>
    public IReadOnlySet<long> SavedResult { get; } = savedResult;

    /// <summary>Decoded values (RFC 2047) of the header fields of that name.</summary>
    public IEnumerable<string> Header(string name) => header is null ? [] : SearchableHeader.Values(header, name);

    public bool HasHeader(string name) => Header(name).Any();

    public string HeaderText => header ?? "";

    public string BodyText => _bodyText ??= body is null ? "" : Text(body.Root, new StringBuilder()).ToString();

    // Text parts decoded from their transfer encoding and charset; an attached message counts with its header.
    private static StringBuilder Text(MimeEntity entity, StringBuilder text)
    {
        switch (entity.Kind)
        {
            case MimeEntityKind.Multipart:
                foreach (var child in entity.Children)
                {
                    Text(child, text);
                }

                break;
            case MimeEntityKind.Message:
                var embedded = entity.Children[0];
                foreach (var field in embedded.Fields)
                {
                    text.Append(field.Name).Append(": ").Append(EncodedWords.Decode(field.Value)).Append('\n');
                }

                Text(embedded, text);
                break;
            default:
                if (entity.ContentType.IsText || entity.Field("Content-Type") is null)
                {
                    text.Append(entity.DecodeText()).Append('\n');
                }

                break;
        }

        return text;
    }
}

/// <summary>
/// A message's header as SEARCH compares it: a "Name: value" line per field, the value unfolded with its encoded words
/// decoded (RFC 2047) and any line break they held turned into a space. Plain text, so it is cached per body (a
/// mail program searching a folder's subjects again costs no parse) and looked through without parsing it again.
/// </summary>
internal static class SearchableHeader
{
    public static string Of(MimeEntity entity) =>
        string.Join("\n", entity.Fields.Select(f => f.Name + ": " + EncodedWords.Decode(f.Value).ReplaceLineEndings(" ")));

    public static IEnumerable<string> Values(string header, string name)
    {
        for (var start = 0; start < header.Length;)
        {
            var end = header.IndexOf('\n', start);
            if (end < 0)
            {
                end = header.Length;
            }

            // A field name holds no colon (RFC 5322 §3.6.8), so the first one ends it.
            if (end - start > name.Length && header[start + name.Length] == ':'
                && string.Compare(header, start, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                yield return header[Math.Min(start + name.Length + 2, end)..end];
            }

            start = end + 1;
        }
    }
}

/// <summary>The search keys of RFC 3501 §6.4.4 over one message. Text keys are case-insensitive substrings of decoded text.</summary>
internal static class ImapSearch
{
    /// <summary>How much of each message the key looks at: nothing beyond the row, its header, or its text too.</summary>
    public static BodyNeed NeedOf(SearchKey key) => key switch
    {
        TextSearchKey { Field: SearchTextField.Body or SearchTextField.Text } => BodyNeed.Whole,
        TextSearchKey or HeaderSearchKey => BodyNeed.Header,
        NotSearchKey not => NeedOf(not.Key),
        OrSearchKey or => (BodyNeed)Math.Max((int)NeedOf(or.Left), (int)NeedOf(or.Right)),
        AndSearchKey and => and.Keys.Select(NeedOf).DefaultIfEmpty(BodyNeed.None).Max(),
        _ => BodyNeed.None,
    };

    /// <summary>Whether a MODSEQ key appears anywhere in the criteria (RFC 7162 §3.1.5).</summary>
    public static bool UsesModSeq(SearchKey key) => key switch
    {
        ModSeqSearchKey => true,
        NotSearchKey not => UsesModSeq(not.Key),
        OrSearchKey or => UsesModSeq(or.Left) || UsesModSeq(or.Right),
        AndSearchKey and => and.Keys.Any(UsesModSeq),
        _ => false,
    };

    public static bool Matches(SearchKey key, SearchCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var message = candidate.Message;
        return key switch
        {
            FlagSearchKey flag => Matches(flag.Flag, message.SystemFlags, candidate.Recent),
            KeywordSearchKey keyword => message.Flags.Keywords.Contains(keyword.Keyword) == keyword.Present,
            TextSearchKey text => text.Field switch
            {
                SearchTextField.Body => Contains(candidate.BodyText, text.Value),
                SearchTextField.Text => Contains(candidate.HeaderText, text.Value) || Contains(candidate.BodyText, text.Value),
                var field => candidate.Header(field.ToString()).Any(v => Contains(v, text.Value)),
            },
            HeaderSearchKey header => header.Value.Length == 0
                ? candidate.HasHeader(header.FieldName)
                : candidate.Header(header.FieldName).Any(v => Contains(v, header.Value)),
            DateSearchKey date => (date.SentDate ? message.Date : message.InternalDate) is { } when && Compare(DateOnly.FromDateTime(when), date),
            SizeSearchKey size => size.Larger ? message.Size > size.Size : message.Size < size.Size,
            SequenceSetSearchKey { Set.IsSavedResult: true } => candidate.SavedResult.Contains(message.Uid),
            SequenceSetSearchKey set => set.Uid
                ? message.Uid <= uint.MaxValue && set.Set.Contains((uint)message.Uid, candidate.LargestUid)
                : set.Set.Contains((uint)candidate.Sequence, candidate.LargestSequence),
            ModSeqSearchKey modSeq => (ulong)message.ModSeq >= modSeq.ModSeq,
            NotSearchKey not => !Matches(not.Key, candidate),
            OrSearchKey or => Matches(or.Left, candidate) || Matches(or.Right, candidate),
            AndSearchKey and => and.Keys.All(k => Matches(k, candidate)),
            _ => false,
        };
    }

    // The row's flags as stored: no flag set is built for each message a search looks at.
    private static bool Matches(SearchFlag flag, SystemFlags flags, bool recent) => flag switch
    {
        SearchFlag.All => true,
        SearchFlag.Recent => recent,
        SearchFlag.New => recent && !flags.HasFlag(SystemFlags.Seen),
        SearchFlag.Old => !recent,
        SearchFlag.Answered => flags.HasFlag(SystemFlags.Answered),
        SearchFlag.Deleted => flags.HasFlag(SystemFlags.Deleted),
        SearchFlag.Draft => flags.HasFlag(SystemFlags.Draft),
        SearchFlag.Flagged => flags.HasFlag(SystemFlags.Flagged),
        SearchFlag.Seen => flags.HasFlag(SystemFlags.Seen),
        SearchFlag.Unanswered => !flags.HasFlag(SystemFlags.Answered),
        SearchFlag.Undeleted => !flags.HasFlag(SystemFlags.Deleted),
        SearchFlag.Undraft => !flags.HasFlag(SystemFlags.Draft),
        SearchFlag.Unflagged => !flags.HasFlag(SystemFlags.Flagged),
        SearchFlag.Unseen => !flags.HasFlag(SystemFlags.Seen),
        _ => false,
    };

    // "disregarding time and timezone" (RFC 3501 §6.4.4): dates are compared as calendar days (UTC, as stored).
    private static bool Compare(DateOnly day, DateSearchKey key) => key.Comparison switch
    {
        DateComparison.Before => day < key.Date,
        DateComparison.On => day == key.Date,
        _ => day >= key.Date,
    };

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
