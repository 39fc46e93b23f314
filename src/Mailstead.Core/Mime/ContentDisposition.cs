namespace Mailstead.Core.Mime;

// Content-Disposition (RFC 2183 §2): disposition-type *(";" parameter).
public sealed record ContentDisposition(string Disposition, IReadOnlyList<MimeParameter> Parameters)
{
    public string? FileName =>
        Parameters.FirstOrDefault(p => p.Name.Equals("filename", StringComparison.OrdinalIgnoreCase))?.Value;

    public static ContentDisposition? Parse(string value, MimeParseMode mode)
    {
        var tokens = new HeaderTokenizer(value);
        tokens.SkipCfws();
        var disposition = tokens.ReadToken();
        return disposition is null
            ? null
            : new ContentDisposition(disposition, ParameterListParser.Parse(ref tokens, mode));
    }
}
