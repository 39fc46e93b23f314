using System.Collections.Frozen;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Mailstead.Web.Webmail;

/// <summary>What a sanitized HTML body became, and whether remote images were held back.</summary>
public sealed record SanitizedHtml(string Html, int BlockedRemoteImages);

/// <summary>
/// An allow-list HTML sanitizer for mail bodies, on AngleSharp's HTML5 parser (the tree a browser would build,
/// so what is checked is what would be rendered). Only known-harmless elements and attributes survive: no
/// scripts, event handlers, forms, frames, objects, SVG or MathML; links only to http, https and mailto, opened in a
/// new tab without an opener; images only from <c>cid:</c> parts we serve or, when the reader allowed it for this
/// message, from http/https; CSS only from a list of layout and text properties, and never with <c>url()</c>,
/// <c>expression()</c>, escapes or comments. <c>&lt;style&gt;</c> sheets (how most newsletters are laid out) are not
/// passed on: their plain rules are applied to the elements they select, as inline styles under the same checks, and
/// the rest (<c>@import</c>, <c>@media</c>, <c>@font-face</c>) is dropped. The result is shown in a sandboxed frame
/// under its own Content-Security-Policy as well: two independent walls.
/// </summary>
public static partial class HtmlSanitizer
{
    private static readonly FrozenSet<string> AllowedElements = FrozenSet.Create(StringComparer.Ordinal,
        "a", "abbr", "address", "article", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
        "samp", "section", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "tt", "u", "ul", "var", "wbr");

    // Removed with everything inside them; any other unknown element is unwrapped (its text stays).
    private static readonly FrozenSet<string> DroppedElements = FrozenSet.Create(StringComparer.Ordinal,
        "applet", "area", "audio", "base", "basefont", "button", "canvas", "datalist", "dialog", "embed", "form",
        "frame", "frameset", "head", "iframe", "input", "keygen", "link", "map", "math", "meta", "noembed",
        "noframes", "noscript", "object", "optgroup", "option", "output", "param", "picture", "portal", "script",
        "select", "slot", "source", "style", "svg", "template", "textarea", "title", "track", "video", "xml");

    private static readonly FrozenSet<string> AllowedAttributes = FrozenSet.Create(StringComparer.Ordinal,
        "abbr", "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "color", "colspan", "dir", "face",
        "headers", "height", "lang", "nowrap", "rowspan", "scope", "size", "span", "start", "summary", "title",
        "valign", "width");

    private static readonly FrozenSet<string> AllowedCssProperties = FrozenSet.Create(StringComparer.Ordinal,
        "background-color", "border", "border-bottom", "border-bottom-color", "border-bottom-style",
        "border-bottom-width", "border-collapse", "border-color", "border-left", "border-left-color",
        "border-left-style", "border-left-width", "border-radius", "border-right", "border-right-color",
        "border-right-style", "border-right-width", "border-spacing", "border-style", "border-top",
        "border-top-color", "border-top-style", "border-top-width", "border-width", "clear", "color", "direction",
        "display", "float", "font", "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
        "letter-spacing", "line-height", "list-style-type", "margin", "margin-bottom", "margin-left", "margin-right",
        "margin-top", "max-height", "max-width", "min-height", "min-width", "padding", "padding-bottom",
        "padding-left", "padding-right", "padding-top", "table-layout", "text-align", "text-decoration",
        "text-indent", "text-transform", "vertical-align", "white-space", "width", "word-break", "word-spacing");

    // Anything that could fetch, run or hide something: checked after lower-casing, so case games do not help.
    private static readonly string[] ForbiddenInCss = ["url(", "expression", "javascript:", "\\", "/*", "@import", "<", "behavior", "binding", "image-set", "image("];

    // Bounds on what a hostile sheet can cost: characters read, rules applied, and rule-to-element applications.
    private const int MaxSheetChars = 200_000;
    private const int MaxRules = 1_000;
    private const int MaxApplications = 100_000;

    /// <summary>
    /// Sanitizes <paramref name="html"/> to the markup of a body. <paramref name="contentUrl"/> turns a
    /// <c>cid:</c> reference into the URL we serve that part at (null when the message has no such part).
    /// </summary>
    public static SanitizedHtml Sanitize(string html, Func<string, string?> contentUrl, bool allowRemoteImages)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(contentUrl);
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        var document = parser.ParseDocument(html);
        var body = document.Body;
        if (body is null)
        {
            return new SanitizedHtml("", 0);
        }

        InlineStyleSheets(document);
        var walk = new Walk(contentUrl, allowRemoteImages);
        walk.Clean(body);
        return new SanitizedHtml(body.InnerHtml, walk.BlockedRemoteImages);
    }

    /// <summary>A declaration list with only allowed properties and harmless values; empty when nothing is left.</summary>
    public static string CleanStyle(string style)
    {
        ArgumentNullException.ThrowIfNull(style);
        var kept = new List<string>();
        foreach (var declaration in style.Split(';'))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var property = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            var lowered = value.ToLowerInvariant();
            if (AllowedCssProperties.Contains(property) && value.Length > 0
                && !ForbiddenInCss.Any(f => lowered.Contains(f, StringComparison.Ordinal)) && !value.Any(char.IsControl))
            {
                kept.Add(property + ": " + value);
            }
        }

        return string.Join("; ", kept);
    }

    // Each plain rule's declarations go before the element's own style, in the order of the cascade (CSS Cascade 4
    // §6.4: specificity, then order in the sheet), so the rules and the element's own style win as they would in a
    // browser. The walk then checks them as inline CSS.
    private static void InlineStyleSheets(AngleSharp.Html.Dom.IHtmlDocument document)
    {
        var sheet = string.Concat(document.QuerySelectorAll("style").Select(style => style.TextContent));
        if (sheet.Length == 0)
        {
            return;
        }

        var selectors = new AngleSharp.Css.Parser.CssSelectorParser();
        var rules = StyleRules(sheet.Length > MaxSheetChars ? sheet[..MaxSheetChars] : sheet)
            .Take(MaxRules)
            .Select(rule => (Selector: selectors.ParseSelector(rule.Selector), Declarations: CleanStyle(rule.Declarations)))
            .Where(rule => rule.Selector is not null && rule.Declarations.Length > 0)
            .OrderBy(rule => rule.Selector!.Specificity); // stable: equal specificity keeps sheet order
        var fromSheet = new Dictionary<IElement, List<string>>();
        var applications = 0;
        foreach (var (selector, declarations) in rules)
        {
            foreach (var element in document.QuerySelectorAll(selector!.Text).Take(MaxApplications - applications))
            {
                applications++;
                if (!fromSheet.TryGetValue(element, out var list))
                {
                    fromSheet[element] = list = [];
                }

                list.Add(declarations);
            }
        }

        foreach (var (element, declarations) in fromSheet)
        {
            var own = element.GetAttribute("style");
            element.SetAttribute("style", string.Join("; ", own is { Length: > 0 } ? [.. declarations, own] : declarations));
        }
    }

    // The plain rules of a style sheet (selector list, declaration block), comments removed; at-rules with their
    // blocks (@media, @font-face, @supports) or up to their semicolon (@import, @charset) are skipped.
    private static IEnumerable<(string Selector, string Declarations)> StyleRules(string sheet)
    {
        var text = CssComment().Replace(sheet, " ");
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            var semicolon = text.IndexOf(';', at);
            var prelude = text[at..(open < 0 ? text.Length : open)].Trim();
            if (prelude.StartsWith('@') && semicolon >= 0 && (open < 0 || semicolon < open))
            {
                at = semicolon + 1;
                continue;
            }

            if (open < 0)
            {
                yield break;
            }

            var close = BlockEnd(text, open);
            if (!prelude.StartsWith('@') && prelude.Length > 0)
            {
                foreach (var selector in prelude.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    yield return (selector, text[(open + 1)..close]);
                }
            }

            at = close + 1;
        }
    }

    // The index of the brace that closes the block opened at <paramref name="open"/> (nested blocks counted), or the end.
    private static int BlockEnd(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }

        return text.Length;
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex CssComment();

    /// <summary>The URL with white space and control characters removed (browsers ignore them, so "java\tscript:" is javascript:), when its scheme is one of <paramref name="schemes"/>.</summary>
    private static string? SafeUrl(string value, params string[] schemes)
    {
        var compact = new string([.. value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c))]);
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && schemes.Contains(compact[..colon].ToLowerInvariant(), StringComparer.Ordinal) ? compact : null;
    }

    private sealed class Walk(Func<string, string?> contentUrl, bool allowRemoteImages)
    {
        public int BlockedRemoteImages { get; private set; }

        public void Clean(INode parent)
        {
            foreach (var child in parent.ChildNodes.ToArray())
            {
                switch (child)
                {
                    case IText:
                        break;
                    case IElement element when element.NamespaceUri != NamespaceNames.HtmlUri || DroppedElements.Contains(element.LocalName):
                        element.Remove();
                        break;
                    case IElement element when !AllowedElements.Contains(element.LocalName):
                        Clean(element);
                        foreach (var grandchild in element.ChildNodes.ToArray())
                        {
                            parent.InsertBefore(grandchild, element);
                        }

                        element.Remove();
                        break;
                    case IElement element:
                        CleanAttributes(element);
                        Clean(element);
                        break;
                    default:
                        // Comments (conditional comments included), processing instructions, doctypes.
                        parent.RemoveChild(child);
                        break;
                }
            }
        }

        private void CleanAttributes(IElement element)
        {
            foreach (var attribute in element.Attributes.ToArray())
            {
                var name = attribute.LocalName;
                var keep = name switch
                {
                    "style" => CleanStyle(attribute.Value) is { Length: > 0 } style ? style : null,
                    "href" when element.LocalName == "a" => SafeUrl(attribute.Value, "http", "https", "mailto"),
                    "src" when element.LocalName == "img" => ImageSource(attribute.Value),
                    _ when attribute.NamespaceUri is null && AllowedAttributes.Contains(name) => attribute.Value,
                    _ => null,
                };
                element.RemoveAttribute(attribute.NamespaceUri, name);
                if (keep is not null)
                {
                    element.SetAttribute(name, keep);
                }
            }

            if (element.LocalName == "a" && element.HasAttribute("href"))
            {
                element.SetAttribute("target", "_blank");
                element.SetAttribute("rel", "noopener noreferrer");
            }
        }

        private string? ImageSource(string value)
        {
            if (SafeUrl(value, "cid") is { } cid)
            {
                return contentUrl(Uri.UnescapeDataString(cid[4..]).Trim('<', '>'));
            }

            if (SafeUrl(value, "http", "https") is { } remote)
            {
                if (allowRemoteImages)
                {
                    return remote;
                }

                BlockedRemoteImages++;
            }

            return null;
        }
    }
}
