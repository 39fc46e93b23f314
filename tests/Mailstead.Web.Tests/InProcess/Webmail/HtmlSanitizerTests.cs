using Mailstead.Web.Tests.Fixtures;
using Mailstead.Web.Webmail;

namespace Mailstead.Web.Tests.InProcess.Webmail;

/// <summary>The webmail's HTML sanitizer against hostile mail: what a reader would otherwise run or fetch.</summary>
public sealed class HtmlSanitizerTests
{
    private static string Clean(string html, bool remoteImages = false) =>
        HtmlSanitizer.Sanitize(html, id => id == "logo@example" ? "/mail/read?folder=1&uid=2&handler=Part&part=0.2&inline=true" : null, remoteImages).Html;

    public static TheoryData<string> CaseNames() => [.. HostileHtml.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_hostile_trick_leaves_nothing_that_could_run_or_fetch(string name)
    {
        var hostile = HostileHtml.Cases.Single(c => c.Name == name);

        var clean = Clean("<p>before</p>" + hostile.Html + "<p>after</p>");

        Assert.DoesNotContain(hostile.Forbidden, clean, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>before</p>", clean, StringComparison.Ordinal);
        Assert.Contains("<p>after</p>", clean, StringComparison.Ordinal);
        foreach (var danger in new[] { "<script", " on", "javascript:", "<svg", "<math", "<form", "<iframe", "<object", "<embed", "<meta", "<base", "<link", "<style", "data:", HostileHtml.Tracker })
        {
            Assert.DoesNotContain(danger, clean, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_whole_hostile_fixture_keeps_the_text_a_reader_came_for()
    {
        var result = HtmlSanitizer.Sanitize(HostileHtml.Document(), _ => null, allowRemoteImages: false);

        Assert.Contains("Dear customer, <b>your invoice</b> is ready.", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileHtml.Tracker, result.Html, StringComparison.Ordinal);
        Assert.Equal(1, result.BlockedRemoteImages);
    }

    [Fact]
    public void Links_open_in_a_new_tab_without_an_opener_or_a_referrer()
    {
        var clean = Clean("<a href=\"https://example.org/a?b=1&amp;c=2\" onclick=\"x()\">site</a> <a href=\"mailto:bob@example.org\">bob</a>");

        Assert.Equal(
            "<a href=\"https://example.org/a?b=1&amp;c=2\" target=\"_blank\" rel=\"noopener noreferrer\">site</a> " +
            "<a href=\"mailto:bob@example.org\" target=\"_blank\" rel=\"noopener noreferrer\">bob</a>",
            clean);
    }

    [Fact]
    public void Inline_cid_images_point_at_the_part_we_serve_and_unknown_ones_lose_their_source()
    {
        var clean = Clean("<img src=\"cid:logo@example\" alt=\"Logo\"><img src=\"cid:nothing@example\" alt=\"Gone\">");

        Assert.Equal("<img src=\"/mail/read?folder=1&amp;uid=2&amp;handler=Part&amp;part=0.2&amp;inline=true\" alt=\"Logo\"><img alt=\"Gone\">", clean);
    }

    [Fact]
    public void Remote_images_come_back_only_when_the_reader_allows_them()
    {
        const string html = "<img src=\"https://images.example.org/photo.jpg\" alt=\"Photo\">";

        var blocked = HtmlSanitizer.Sanitize(html, _ => null, allowRemoteImages: false);
        var allowed = HtmlSanitizer.Sanitize(html, _ => null, allowRemoteImages: true);

        Assert.Equal("<img alt=\"Photo\">", blocked.Html);
        Assert.Equal(1, blocked.BlockedRemoteImages);
        Assert.Equal("<img src=\"https://images.example.org/photo.jpg\" alt=\"Photo\">", allowed.Html);
    }

    [Fact]
    public void Inline_css_keeps_layout_and_text_properties_and_drops_the_rest()
    {
        Assert.Equal("color: #333; font-weight: bold; padding: 4px 8px",
            HtmlSanitizer.CleanStyle("color: #333; position: fixed; font-weight: bold; behavior: url(x.htc); padding: 4px 8px; z-index: 9"));
        Assert.Equal("", HtmlSanitizer.CleanStyle("background-color: EXPRESSION(alert(1))"));
        Assert.Equal("", HtmlSanitizer.CleanStyle("width: ex/**/pression(1); color: r\\65 d"));
    }

    [Fact]
    public void A_newsletter_s_style_sheet_is_applied_to_the_elements_it_selects_before_their_own_style()
    {
        var clean = Clean("""
            <html><head><style>
              /* brand */ .button { color: #ffffff; background-color: #0b5cff; padding: 8px 12px }
              td.footer, #legal { font-size: 11px; color: gray }
              p { margin: 0 }
              @media (max-width: 600px) { .button { display: block } }
              @font-face { font-family: X; src: url(https://tracker.example/f.woff) }
              @import url(https://tracker.example/i.css);
              .bad { background: url(https://tracker.example/bg.png); color: red }
              :::nonsense { color: blue }
            </style></head>
            <body><a class="button" href="https://shop.example" style="color: yellow">Buy</a>
            <table><tr><td class="footer">Unsubscribe</td></tr></table><p id="legal">Legal</p><p class="bad">Bad</p></body></html>
            """);

        Assert.Contains("style=\"color: #ffffff; background-color: #0b5cff; padding: 8px 12px; color: yellow\"", clean, StringComparison.Ordinal);
        Assert.Contains("<td style=\"font-size: 11px; color: gray\">Unsubscribe</td>", clean, StringComparison.Ordinal);
        // The id rule outweighs the element rule that comes after it (specificity before order).
        Assert.Contains("<p style=\"margin: 0; font-size: 11px; color: gray\">Legal</p>", clean, StringComparison.Ordinal);
        Assert.Contains("<p style=\"margin: 0; color: red\">Bad</p>", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("display: block", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void A_style_sheet_that_selects_everything_many_times_over_is_applied_only_up_to_a_bound()
    {
        var rules = string.Concat(Enumerable.Repeat("* { color: red } ", 5_000));
        var body = string.Concat(Enumerable.Repeat("<span>x</span>", 5_000));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var clean = Clean($"<style>{rules}</style>{body}");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.True(clean.Split("color: red").Length - 1 <= 100_000);
        Assert.Contains("<span style=\"color: red", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_and_formatting_of_a_newsletter_survive()
    {
        const string html = "<table width=\"600\" cellpadding=\"4\" align=\"center\"><tr><td style=\"background-color: #f0f0f0\"><h2>News</h2><ul><li><i>one</i></li></ul></td></tr></table>";

        Assert.Equal(
            "<table width=\"600\" cellpadding=\"4\" align=\"center\"><tbody><tr><td style=\"background-color: #f0f0f0\"><h2>News</h2><ul><li><i>one</i></li></ul></td></tr></tbody></table>",
            Clean(html));
    }
}
