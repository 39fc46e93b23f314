using System.Globalization;
using System.Text;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5; ESEARCH with RETURN, RFC 4731; SEARCHRES's SAVE, RFC 9051 §6.4.4.1). Flag, size, date and
// number keys look at the folder's entries; header and text keys parse each body.
internal sealed partial class ImapSession
{
    private async Task<Reply> SearchAsync(SearchCommand search)
    {
        var selected = _selected!;
        var largestUid = (uint)Math.Min(selected.MaxUid, uint.MaxValue);
        var need = ImapSearch.NeedOf(search.Criteria);
        // RFC 7162 §3.1.5: MODSEQ in the criteria enables CONDSTORE and adds the highest modseq found to the answer.
        var byModSeq = ImapSearch.UsesModSeq(search.Criteria);
        if (byModSeq)
        {
            EnableCondStore();
        }

        var found = new List<Found>();
        var entries = await EntriesAsync().ConfigureAwait(false);
        foreach (var (sequence, uid) in selected.Numbered())
        {
            if (entries.Find(uid) is not { } row)
            {
                continue;
            }

            var body = need == BodyNeed.Whole ? await LoadAsync(row, need).ConfigureAwait(false) : null;
            var header = need switch
            {
                BodyNeed.Whole => body is null ? null : SearchableHeader.Of(body.Root),
                BodyNeed.Header => await SearchableHeaderAsync(row).ConfigureAwait(false),
                _ => null,
            };
            if (ImapSearch.Matches(search.Criteria, new SearchCandidate(sequence, row, selected.IsRecent(uid), header, body, (uint)selected.Count, largestUid, selected.SavedResult)))
            {
                found.Add(new Found(search.Uid ? uid : sequence, uid, row.ModSeq));
            }
        }

        // RFC 9051 §6.4.4: once IMAP4rev2 is on, a SEARCH without RETURN is answered as RETURN (ALL) would be.
        if ((search.Return ?? (_imap4rev2 ? SearchReturn.None : null)) is not { } returns)
        {
            Untagged(Search(found, byModSeq));
            return Reply.Ok("SEARCH completed.");
        }

        if (returns.HasFlag(SearchReturn.Save))
        {
            selected.SavedResult = Saved(returns, found);
        }

        // §6.4.4.1 example 1: SAVE alone asks for no ESEARCH response.
        if (returns != SearchReturn.Save)
        {
            Untagged(Esearch(search, returns & ~SearchReturn.Save, found, byModSeq));
        }

        return Reply.Ok(returns.HasFlag(SearchReturn.Save) ? "SEARCH completed, result saved." : "SEARCH completed.");
    }

    private async Task<string?> SearchableHeaderAsync(MessageEntry row)
    {
        var key = "search-header:" + row.BodyKey;
        if (_services.Renderings.TryGet(key, out var cached))
        {
            return Encoding.UTF8.GetString(cached);
        }

        if (await LoadAsync(row, BodyNeed.Header).ConfigureAwait(false) is not { } message)
        {
            return null;
        }

        var header = SearchableHeader.Of(message.Root);
        _services.Renderings.Add(key, Encoding.UTF8.GetBytes(header));
        return header;
    }

    /// <summary>One message that matched: its number as the answer gives it (UID or sequence number), its UID and modseq.</summary>
    private readonly record struct Found(long Number, long Uid, long ModSeq);

    /// <summary>
    /// RFC 9051 §6.4.4.1 table 4: with ALL or COUNT (or SAVE alone) "$" holds every message found; with only MIN
    /// and/or MAX, just the ones those return.
    /// </summary>
    private static HashSet<long> Saved(SearchReturn returns, List<Found> found)
    {
        if (found.Count == 0 || (returns & (SearchReturn.All | SearchReturn.Count)) != 0 || (returns & (SearchReturn.Min | SearchReturn.Max)) == 0)
        {
            return [.. found.Select(f => f.Uid)];
        }

        var saved = new HashSet<long>();
        if (returns.HasFlag(SearchReturn.Min))
        {
            saved.Add(found[0].Uid);
        }

        if (returns.HasFlag(SearchReturn.Max))
        {
            saved.Add(found[^1].Uid);
        }

        return saved;
    }

    // RFC 3501 §7.2.5, with RFC 7162 §3.1.5's highest modseq.
    private static string Search(List<Found> found, bool byModSeq)
    {
        var text = new StringBuilder("* SEARCH");
        foreach (var (number, _, _) in found)
        {
            text.Append(' ').Append(number.ToString(CultureInfo.InvariantCulture));
        }

        if (byModSeq && found.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" (MODSEQ {found.Max(f => f.ModSeq)})");
        }

        return text.ToString();
    }

    // RFC 4731 §3.1: only what was asked for (RETURN () means ALL); MIN, MAX and ALL only when something matched.
    private static string Esearch(SearchCommand search, SearchReturn returns, List<Found> found, bool byModSeq)
    {
        if (returns == SearchReturn.None)
        {
            returns = SearchReturn.All;
        }

        var text = new StringBuilder("* ESEARCH (TAG ").Append(Quoted(search.Tag)).Append(')');
        if (search.Uid)
        {
            text.Append(" UID");
        }

        if (found.Count > 0)
        {
            if (returns.HasFlag(SearchReturn.Min))
            {
                text.Append(CultureInfo.InvariantCulture, $" MIN {found[0].Number}");
            }

            if (returns.HasFlag(SearchReturn.Max))
            {
                text.Append(CultureInfo.InvariantCulture, $" MAX {found[^1].Number}");
            }

            if (returns.HasFlag(SearchReturn.All))
            {
                text.Append(" ALL ").Append(NumberSet([.. found.Select(f => f.Number)]));
            }
        }

        if (returns.HasFlag(SearchReturn.Count))
        {
            text.Append(CultureInfo.InvariantCulture, $" COUNT {found.Count}");
        }

        if (byModSeq && found.Count > 0)
        {
            // §3.2: the modseq of the messages returned: MIN's or MAX's alone, of both, or of all of them.
            IEnumerable<Found> returned = (returns & (SearchReturn.All | SearchReturn.Count)) != 0 ? found
                : returns == SearchReturn.Min ? [found[0]]
                : returns == SearchReturn.Max ? [found[^1]]
                : [found[0], found[^1]];
            text.Append(CultureInfo.InvariantCulture, $" MODSEQ {returned.Max(f => f.ModSeq)}");
        }

        return text.ToString();
    }
}
