using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Mailstead.Web.Webmail;

/// <summary>A plain-text body as HTML: every character encoded, then web and mail addresses made into links.</summary>
public static partial class PlainText
{
    // Every script stays as it is (only markup characters are escaped), so the page carries text, not entities.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string ToHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 64);
        var position = 0;
        foreach (Match match in Link().Matches(text))
        {
            // Sentence punctuation after a link is not part of it ("see https://example.org/a.").
            var url = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '\'', '"');
            html.Append(Encoder.Encode(text[position..match.Index]));
            var href = url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + url
                : url.Contains("://", StringComparison.Ordinal) ? url
                : "mailto:" + url;
            html.Append("<a href=\"").Append(Encoder.Encode(href)).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">")
                .Append(Encoder.Encode(url)).Append("</a>");
            position = match.Index + url.Length;
        }

        html.Append(Encoder.Encode(text[position..]));
        return html.ToString();
    }

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""]+|\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Link();
}
