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
    public void Tables_and_formatting_of_a_newsletter_survive()
    {
        const string html = "<table width=\"600\" cellpadding=\"4\" align=\"center\"><tr><td style=\"background-color: #f0f0f0\"><h2>News</h2><ul><li><i>one</i></li></ul></td></tr></table>";

        Assert.Equal(
            "<table width=\"600\" cellpadding=\"4\" align=\"center\"><tbody><tr><td style=\"background-color: #f0f0f0\"><h2>News</h2><ul><li><i>one</i></li></ul></td></tr></tbody></table>",
            Clean(html));
    }
}
