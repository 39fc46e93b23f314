namespace Mailstead.Core.Mime;

// What the parser forgives. Both modes accept everything the RFCs call obsolete
// syntax (RFC 5322 §4) and never throw; they differ only where real mail breaks
// the grammar outright.
public enum MimeParseMode
{
    // Lines end only at CRLF (RFC 5322 §2.1); a header line without a colon ends
    // the header there; parameter values are RFC 2045 tokens or quoted strings.
    Strict,

    // A bare LF also ends a line; a header line without a colon is skipped; an
    // unquoted parameter value runs to the next ';' (file names with spaces,
    // boundaries with '='), and a missing ';' between parameters is forgiven.
    Loose,
}
