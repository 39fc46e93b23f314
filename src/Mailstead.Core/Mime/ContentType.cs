namespace Mailstead.Core.Mime;

// Content-Type (RFC 2045 §5.1). Type and subtype keep the case they were written
// in (they compare case-insensitively); Parse returns null for a value that is
// not type "/" subtype, and the parser then applies the default (RFC 2045 §5.2).
public sealed record ContentType(string MediaType, string MediaSubtype, IReadOnlyList<MimeParameter> Parameters)
{
    // RFC 2045 §5.2.
    public static ContentType Default { get; } = new("text", "plain", [new MimeParameter("charset", "us-ascii")]);

    // RFC 2046 §5.1.5: the default inside multipart/digest.
    public static ContentType DigestDefault { get; } = new("message", "rfc822", []);

    public bool IsText => MediaType.Equals("text", StringComparison.OrdinalIgnoreCase);

    public bool IsMultipart => MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    public bool IsMessageRfc822 => Is("message", "rfc822");

    public string? Charset => Parameter("charset");

    public string? Boundary => Parameter("boundary");

    public bool Is(string mediaType, string mediaSubtype) =>
        MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
        && MediaSubtype.Equals(mediaSubtype, StringComparison.OrdinalIgnoreCase);

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static ContentType? Parse(string value, MimeParseMode mode)
    {
        var tokens = new HeaderTokenizer(value);
        tokens.SkipCfws();
        var type = tokens.ReadToken();
        tokens.SkipCfws();
        if (type is null || !tokens.TryConsume('/'))
        {
            return null;
        }

        tokens.SkipCfws();
        var subtype = tokens.ReadToken();
        if (subtype is null)
        {
            return null;
        }

        return new ContentType(type, subtype, ParameterListParser.Parse(ref tokens, mode));
    }
}
