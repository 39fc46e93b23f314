namespace Mailstead.Protocols.Mime;

// A slice of the original message bytes; IMAP sections are served from these.
internal readonly record struct ByteRange(int Start, int Length)
{
    public int End => Start + Length;
}
