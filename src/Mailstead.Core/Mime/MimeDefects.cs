namespace Mailstead.Core.Mime;

// What the parser had to forgive in one entity. Parsing never fails; these say
// why the tree looks the way it does.
[Flags]
public enum MimeDefects
{
    None = 0,
    MalformedHeaderLine = 1 << 0,
    InvalidContentType = 1 << 1,
    MissingBoundaryParameter = 1 << 2,
    NoBoundaryFound = 1 << 3,
    MissingCloseDelimiter = 1 << 4,
    DepthLimitReached = 1 << 5,
    EntityLimitReached = 1 << 6,
    EncodedMessage = 1 << 7,
}
