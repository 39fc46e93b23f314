namespace Mailstead.Core.Mime;

// A slice of the original message bytes; IMAP sections are served from these.
public readonly record struct ByteRange(int Start, int Length)
{
    public int End => Start + Length;
}
