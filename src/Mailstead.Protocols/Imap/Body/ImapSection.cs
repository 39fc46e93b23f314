using System.Text;

namespace Mailstead.Protocols.Imap.Body;

// What follows the part numbers in a section (RFC 3501 §6.4.5 BODY[<section>]).
internal enum ImapSectionText
{
    None,
    Header,
    HeaderFields,
    HeaderFieldsNot,
    Text,
    Mime,
}

// A parsed section-spec (RFC 3501 §9):
//   section-spec    = section-msgtext / (section-part ["." section-text])
//   section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
//   section-part    = nz-number *("." nz-number)
//   section-text    = section-msgtext / "MIME"
// ToString gives the canonical spec for echoing in the FETCH response.
internal sealed record ImapSection(IReadOnlyList<int> Part, ImapSectionText Text, IReadOnlyList<string> FieldNames)
{
    public static ImapSection Full { get; } = new([], ImapSectionText.None, []);

    public override string ToString()
    {
        var spec = new StringBuilder(string.Join('.', Part));
        var keyword = Text switch
        {
            ImapSectionText.Header => "HEADER",
            ImapSectionText.HeaderFields => "HEADER.FIELDS",
            ImapSectionText.HeaderFieldsNot => "HEADER.FIELDS.NOT",
            ImapSectionText.Text => "TEXT",
            ImapSectionText.Mime => "MIME",
            _ => null,
        };
        if (keyword is not null)
        {
            spec.Append(Part.Count > 0 ? "." : "").Append(keyword);
        }

        if (Text is ImapSectionText.HeaderFields or ImapSectionText.HeaderFieldsNot)
        {
            spec.Append(" (").AppendJoin(' ', FieldNames.Select(QuoteIfNeeded)).Append(')');
        }

        return spec.ToString();
    }

    private static string QuoteIfNeeded(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)0x7F && !"(){%*\"\\]".Contains(c))
            ? name
            : "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

// A partial fetch, "<" origin "." octets ">" (RFC 3501 §6.4.5): at most Octets
// octets from Origin; past the end gives what there is, possibly nothing.
internal readonly record struct ImapPartial(long Origin, long Octets)
{
    public ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> text)
    {
        var start = (int)Math.Min(Origin, text.Length);
        var length = (int)Math.Min(Octets, text.Length - start);
        return text.Slice(start, length);
    }
}
