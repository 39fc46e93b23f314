using System.Globalization;
using System.Text;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5; ESEARCH with RETURN, RFC 4731). Flag, size, date and number keys look at the rows; header and
// text keys parse each body, a batch of rows at a time.
internal sealed partial class ImapSession
{
    private async Task<Reply> SearchAsync(SearchCommand search)
    {
        var selected = _selected!;
        var all = selected.Resolve(new SequenceSet([new SequenceRange(1, SequenceRange.Star)]), uid: false) ?? [];
        var largestUid = (uint)Math.Min(selected.MaxUid, uint.MaxValue);
        var need = ImapSearch.NeedOf(search.Criteria);
        // RFC 7162 §3.1.5: MODSEQ in the criteria enables CONDSTORE and adds the highest modseq found to the answer.
        var byModSeq = ImapSearch.UsesModSeq(search.Criteria);
        if (byModSeq)
        {
            EnableCondStore();
        }

        var found = new List<(long Number, long ModSeq)>();
        foreach (var chunk in all.Chunk(Batch))
        {
            var rows = (await Store.Metadata.ListEntriesAsync(selected.Folder.Id, chunk[0].Uid, chunk[^1].Uid, Ended).ConfigureAwait(false))
                .ToDictionary(m => m.Uid);
            foreach (var (sequence, uid) in chunk)
            {
                if (!rows.TryGetValue(uid, out var row))
                {
                    continue;
                }

                var body = need == BodyNeed.None ? null : await LoadAsync(row, need).ConfigureAwait(false);

                if (ImapSearch.Matches(search.Criteria, new SearchCandidate(sequence, row, body, (uint)selected.Count, largestUid)))
                {
                    found.Add((search.Uid ? uid : sequence, row.ModSeq));
                }
            }
        }

        Untagged(search.Return is { } returns ? Esearch(search, returns, found, byModSeq) : Search(found, byModSeq));
        return Reply.Ok("SEARCH completed.");
    }

    // RFC 3501 §7.2.5, with RFC 7162 §3.1.5's highest modseq.
    private static string Search(List<(long Number, long ModSeq)> found, bool byModSeq)
    {
        var text = new StringBuilder("* SEARCH");
        foreach (var (number, _) in found)
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
    private static string Esearch(SearchCommand search, SearchReturn returns, List<(long Number, long ModSeq)> found, bool byModSeq)
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
            IEnumerable<(long Number, long ModSeq)> returned = (returns & (SearchReturn.All | SearchReturn.Count)) != 0 ? found
                : returns == SearchReturn.Min ? [found[0]]
                : returns == SearchReturn.Max ? [found[^1]]
                : [found[0], found[^1]];
            text.Append(CultureInfo.InvariantCulture, $" MODSEQ {returned.Max(f => f.ModSeq)}");
        }

        return text.ToString();
    }
}
