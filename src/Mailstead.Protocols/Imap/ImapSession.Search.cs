using System.Globalization;
using System.Text;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5). Flag, size, date and number keys look at the rows; header and
// text keys parse each body, a batch of rows at a time.
internal sealed partial class ImapSession
{
    private async Task<Reply> SearchAsync(SearchCommand search)
    {
        if (search.Return is not null)
        {
            return Reply.Bad("SEARCH RETURN (ESEARCH) is not supported here.");
        }

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

        long highest = 0;
        var found = new StringBuilder("* SEARCH");
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
                    found.Append(' ').Append((search.Uid ? uid : sequence).ToString(CultureInfo.InvariantCulture));
                    highest = Math.Max(highest, row.ModSeq);
                }
            }
        }

        if (byModSeq && highest > 0)
        {
            found.Append(CultureInfo.InvariantCulture, $" (MODSEQ {highest})");
        }

        Untagged(found.ToString());
        return Reply.Ok("SEARCH completed.");
    }
}
