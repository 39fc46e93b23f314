namespace Mailstead.Protocols.Mime;

// Every limit of the parser in one place. Deeper or further parts are kept as
// opaque leaf bodies, so a hostile message costs at most linear time and a
// bounded number of entities. The defaults are Dovecot's
// (message_max_nested_mime_parts is 100 there; we are stricter on depth).
internal sealed record MimeLimits(int MaxDepth = 32, int MaxEntities = 10_000)
{
    public static MimeLimits Default { get; } = new();
}
