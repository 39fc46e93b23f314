namespace Mailstead.Core.Mime;

// Every limit of the parser in one place. Deeper or further parts are kept as
// opaque leaf bodies, so a hostile message costs linear time and at most
// MaxEntities entities (plus one last part per open level). MaxEntities follows
// Dovecot's message_max_total_mime_parts; the depth limit is stricter than its
// message_max_nested_mime_parts (100), as no real mail nests 32 deep.
public sealed record MimeLimits(int MaxDepth = 32, int MaxEntities = 10_000)
{
    public static MimeLimits Default { get; } = new();
}
