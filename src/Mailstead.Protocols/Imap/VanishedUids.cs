using System.Globalization;
using System.Text;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

/// <summary>
/// The UIDs for VANISHED (EARLIER) (RFC 7162 §3.2.10.1). The store keeps no record of expunged messages, so every
/// UID the client names that was ever given out (below UIDNEXT) and is no longer present is reported, whatever
/// modseq the client gave: what §3.2.6 asks of a server that remembers no expunge older than that modseq. The cost
/// is a longer answer, never a wrong one: the client forgets UIDs it no longer holds.
/// </summary>
internal static class VanishedUids
{
    /// <summary>
    /// The uid-set of UIDs in <paramref name="known"/> (all UIDs given out when null: §3.2.5.1 "1:&lt;maxuid&gt;")
    /// below <paramref name="uidNext"/> and not in <paramref name="present"/> (ascending); empty when there are none.
    /// </summary>
    public static string Of(SequenceSet? known, IReadOnlyList<long> present, long uidNext)
    {
        ArgumentNullException.ThrowIfNull(present);
        var maxUid = (uint)Math.Clamp(uidNext - 1, 0, uint.MaxValue);
        var ranges = (known?.Ranges.Select(r => r.Resolve(maxUid)) ?? [(1u, maxUid)])
            .Where(r => r.First <= maxUid)
            .Select(r => (r.First, Last: Math.Min(r.Last, maxUid)))
            .Order();
        var gone = new List<(uint First, uint Last)>();
        foreach (var (first, last) in ranges)
        {
            // The absent stretches of [first, last]: between consecutive present UIDs (binary search for the start).
            var index = LowerBound(present, first);
            var next = (long)first;
            for (; next <= last; index++)
            {
                var stop = index < present.Count ? Math.Min(present[index] - 1, last) : last;
                if (stop >= next)
                {
                    Add(gone, (uint)next, (uint)stop);
                }

                if (index >= present.Count)
                {
                    break;
                }

                next = present[index] + 1;
            }
        }

        var text = new StringBuilder();
        foreach (var (first, last) in gone)
        {
            text.Append(text.Length > 0 ? "," : "").Append(first.ToString(CultureInfo.InvariantCulture));
            if (last > first)
            {
                text.Append(':').Append(last.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    // Ranges come in ascending order of their start; overlapping or touching ones merge.
    private static void Add(List<(uint First, uint Last)> gone, uint first, uint last)
    {
        if (gone.Count > 0 && first <= (long)gone[^1].Last + 1)
        {
            gone[^1] = (gone[^1].First, Math.Max(gone[^1].Last, last));
            return;
        }

        gone.Add((first, last));
    }

    private static int LowerBound(IReadOnlyList<long> sorted, long value)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
