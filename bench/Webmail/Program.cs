using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Mailstead.Core.Mail;
using Mailstead.Storage;
using Mailstead.Web.Tests.InProcess;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// The webmail's server time on a large folder: the message list (by date, sender, subject; first, middle and
// last page; a search) and opening a message, through the whole ASP.NET Core pipeline in process (no network,
// no browser), over SQLite in a temporary data directory. See bench/README.md.
var culture = CultureInfo.InvariantCulture;
var messages = Option("--messages=", 100_000);
var rounds = Option("--rounds=", 30);
const string Password = "hollow-Quartz-Lantern-73";

// Warnings only: EF Core's per-command log lines would be a good part of what is measured.
await using var host = await WebHost.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
var address = await host.AddMailboxAsync("bench", Password);

// Fifty real messages (every fifth with an attachment, every third in HTML): the list reads the header of each
// row it shows, and the rows below share their bodies.
for (var i = 1; i <= 50; i++)
{
    await host.DeliverAsync(address, Sample(i));
}

var mail = host.Services.GetRequiredService<UserMailService>();
var store = host.Services.GetRequiredService<IMessageStore>();
var inbox = (await mail.FoldersAsync(address, CancellationToken.None)).Value!.Single(f => f.Folder.Name == MailFolder.InboxName).Folder;
var keys = (await store.ListByUidAsync(inbox.Id, 1, 50, CancellationToken.None)).Select(m => m.BodyKey).ToArray();
var fill = Stopwatch.StartNew();
await using (var db = await host.Services.GetRequiredService<IDbContextFactory<MailsteadDbContext>>().CreateDbContextAsync())
{
    for (var k = 0; k < keys.Length; k++)
    {
        var first = 51 + k;
        await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 50 FROM n WHERE i + 50 <= {messages})
            INSERT INTO messages (folder_id, uid, internal_date, size, system_flags, keywords, mod_seq, body_key, subject, "from")
            SELECT {inbox.Id}, i, datetime('2020-01-01', '+' || i || ' minutes'), 2048 + i % 5000, CASE WHEN i % 7 = 0 THEN 0 ELSE 1 END, '', 1, {keys[k]},
                   'Subject ' || i, 'Sender ' || (i % 997) || ' <sender' || (i % 997) || '@example.org>' FROM n
            """);
    }

    await db.Database.ExecuteSqlAsync($"UPDATE mail_folders SET uid_next = {messages + 1} WHERE id = {inbox.Id}");
}

var total = (await store.CountAsync(inbox.Id, CancellationToken.None)).Messages;
Console.WriteLine(string.Create(culture, $"Mailstead webmail benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} processors, .NET {Environment.Version}, load average {LoadAverage()}"));
Console.WriteLine(string.Create(culture, $"INBOX: {total:N0} messages (filled in {fill.Elapsed.TotalSeconds:F1} s), SQLite; {rounds} timed requests each after 3 warm-ups"));
Console.WriteLine();

using var browser = host.Client();
var signedIn = await browser.SignInAsync(address, Password, "mail");
if (signedIn.Location != "/mail")
{
    Console.Error.WriteLine("Could not sign in to the webmail.");
    return 1;
}

var lastPage = (total + 49) / 50;
var folder = string.Create(culture, $"folder={inbox.Id}");
var cases = new (string Name, string Path)[]
{
    ("list: newest 50 (by date)", $"/mail?{folder}"),
    ("list: a middle page (by date)", string.Create(culture, $"/mail?{folder}&page={lastPage / 2}")),
    ("list: last page (by date)", string.Create(culture, $"/mail?{folder}&page={lastPage}")),
    ("list: first page by sender", $"/mail?{folder}&sort=from"),
    ("list: last page by sender", string.Create(culture, $"/mail?{folder}&sort=from&page={lastPage}")),
    ("list: first page by subject", $"/mail?{folder}&sort=subject"),
    ("list: search subject \"Subject 4242\"", $"/mail?{folder}&subject=Subject%204242"),
    ("list: search sender \"sender12@\"", $"/mail?{folder}&from=sender12%40"),
    ("open a message (plain text)", string.Create(culture, $"/mail/read?{folder}&uid={total / 2 + 1}")),
    ("open a message (HTML page)", $"/mail/read?{folder}&uid=3"),
    ("HTML body for the frame (sanitized)", $"/mail/read?{folder}&uid=3&handler=Body"),
};

Console.WriteLine("| request | median | p90 | min |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, path) in cases)
{
    var times = new List<double>();
    for (var i = 0; i < rounds + 3; i++)
    {
        var clock = Stopwatch.StartNew();
        var page = await browser.GetAsync(path);
        clock.Stop();
        if (page.Status != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"{path}: {(int)page.Status}");
            return 1;
        }

        if (i >= 3)
        {
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    Console.WriteLine(string.Create(culture, $"| {name} | {times[times.Count / 2]:F1} ms | {times[(int)(times.Count * 0.9)]:F1} ms | {times[0]:F1} ms |"));
}

return 0;

int Option(string prefix, int fallback) =>
    args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal)) is { } given ? int.Parse(given[prefix.Length..], culture) : fallback;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static byte[] Sample(int i)
{
    var header = string.Create(CultureInfo.InvariantCulture, $"From: Sender {i} <sender{i}@example.org>\r\nTo: bench@example.test\r\nSubject: Sample {i}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n");
    var text = string.Concat(Enumerable.Repeat("The quarterly numbers are attached; see https://example.org/q4 for the slides.\r\n", 40));
    var html = "<html><body><table width=\"600\"><tr><td style=\"font-family: Arial; color: #333\"><h1>Newsletter</h1>" +
        string.Concat(Enumerable.Repeat("<p>Read <a href=\"https://example.org/a\">the story</a> and <img src=\"https://example.org/p.gif\"></p>", 60)) + "</td></tr></table></body></html>";
    var body = i % 5 == 0
        ? "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text +
          "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
          Convert.ToBase64String(new byte[30_000], Base64FormattingOptions.InsertLineBreaks) + "\r\n--b--\r\n"
        : i % 3 == 0
            ? "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n"
            : "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text;
    return Encoding.UTF8.GetBytes(header + body);
}
