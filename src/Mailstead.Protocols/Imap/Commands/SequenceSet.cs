namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// One seq-number or seq-range of RFC 3501 §9. <see cref="Star"/> (0, which no
/// nz-number can be) stands for "*", the largest number in use. Ranges are
/// normalised so that <see cref="First"/> ≤ <see cref="Last"/>, with "*" last.
/// </summary>
internal readonly record struct SequenceRange(uint First, uint Last)
{
    public const uint Star = 0;

    public static SequenceRange Create(uint a, uint b) =>
        // "2:4 and 4:2 are equivalent" (RFC 3501 §9 seq-range); "*" is the largest.
        a == Star || (b != Star && a > b) ? new SequenceRange(b, a) : new SequenceRange(a, b);

    /// <summary>
    /// The range with "*" replaced by <paramref name="largest"/>, ordered. A range
    /// such as 3291:* still includes the last message when it is below 3291.
    /// </summary>
    public (uint First, uint Last) Resolve(uint largest)
    {
        var first = First == Star ? largest : First;
        var last = Last == Star ? largest : Last;
        return first <= last ? (first, last) : (last, first);
    }

    public override string ToString() =>
        First == Last ? Format(First) : $"{Format(First)}:{Format(Last)}";

    private static string Format(uint n) => n == Star ? "*" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A sequence-set (RFC 3501 §9) of message sequence numbers or UIDs, in the client's order; equal by its ranges.
/// <see cref="SavedResult"/> is "$", the messages the last SEARCH RETURN (SAVE) found (RFC 9051 §6.4.4.1): it has
/// no ranges of its own, the selected folder resolves it.
/// </summary>
internal sealed record SequenceSet(IReadOnlyList<SequenceRange> Ranges)
{
    /// <summary>seq-last-command = "$" (RFC 9051 §9).</summary>
    public static SequenceSet SavedResult { get; } = new([]) { IsSavedResult = true };

    public bool IsSavedResult { get; private init; }

    public bool ContainsStar => Ranges.Any(r => r.Last == SequenceRange.Star);

    public bool Contains(uint number, uint largest) =>
        Ranges.Any(r => r.Resolve(largest) is var (first, last) && first <= number && number <= last);

    public bool Equals(SequenceSet? other) =>
        other is not null && IsSavedResult == other.IsSavedResult && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => Ranges.Aggregate(IsSavedResult ? 1 : 0, HashCode.Combine);

    public override string ToString() => IsSavedResult ? "$" : string.Join(',', Ranges);
}
