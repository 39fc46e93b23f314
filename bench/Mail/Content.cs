using System.Globalization;
using System.Text;

namespace Mailstead.Bench.Mail;

/// <summary>
/// The mail every server gets: generated from a fixed seed, so every run and every server sees the same bytes.
/// Mostly small text messages, every tenth with a base64 attachment, as in a real INBOX.
/// </summary>
internal static class Content
{
    /// <summary>In the Subject of every tenth message: what the header search looks for.</summary>
    public const string SubjectWord = "quarterly";

    /// <summary>In the body (not the headers) of every twentieth message: what the text search looks for.</summary>
    public const string BodyWord = "pineapple";

    public const string Recipient = "bench@bench.test";

    private static readonly string[] Words =
    [
        "meeting", "report", "draft", "budget", "review", "notes", "invoice", "schedule", "update", "proposal",
        "travel", "lunch", "project", "release", "question", "summary", "contract", "feedback", "agenda", "team",
    ];

    private static readonly DateTimeOffset FirstDate = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Message <paramref name="number"/> (from 1) in RFC 5322 form with CRLF line ends.</summary>
    public static byte[] Message(int number)
    {
        var random = new Random(number);
        var date = FirstDate.AddMinutes(number * 37);
        var subjectWords = Enumerable.Range(0, 3 + random.Next(4)).Select(_ => Words[random.Next(Words.Length)]).ToList();
        if (number % 10 == 0)
        {
            subjectWords.Insert(1, SubjectWord);
        }

        var body = new StringBuilder();
        var paragraphs = 2 + random.Next(12);
        for (var p = 0; p < paragraphs; p++)
        {
            for (var line = 0; line < 4; line++)
            {
                body.AppendJoin(' ', Enumerable.Range(0, 10).Select(_ => Words[random.Next(Words.Length)])).Append("\r\n");
            }

            body.Append("\r\n");
        }

        if (number % 20 == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"Bring the {BodyWord} cake.\r\n");
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Return-Path: <sender{number % 17}@example.org>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"From: Sender {number % 17} <sender{number % 17}@example.org>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"To: Bench <{Recipient}>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Subject: {string.Join(' ', subjectWords)}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Message-ID: <bench-{number}@example.org>\r\n");
        text.Append("MIME-Version: 1.0\r\n");
        if (number % 10 != 3)
        {
            text.Append("Content-Type: text/plain; charset=utf-8\r\n\r\n").Append(body);
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        var attachment = new byte[20_000 + random.Next(80_000)];
        random.NextBytes(attachment);
        text.Append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        text.Append("--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").Append(body);
        text.Append(CultureInfo.InvariantCulture, $"--b\r\nContent-Type: application/octet-stream; name=\"scan{number}.bin\"\r\n");
        text.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        text.Append(Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b--\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// A Maildir with messages 1..count in INBOX (https://cr.yp.to/proto/maildir.html): every third read, every
    /// seventh flagged, the rest unread in new/. The file time is the Date, which both servers take as INTERNALDATE.
    /// </summary>
    public static void WriteMaildir(string root, int count)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        for (var number = 1; number <= count; number++)
        {
            var flags = (number % 7 == 0 ? "F" : "") + (number % 3 == 0 ? "S" : "");
            var unique = string.Create(CultureInfo.InvariantCulture, $"{1767600000 + number}.M{number}P1.bench");
            var path = flags.Length == 0
                ? Path.Combine(root, "new", unique)
                : Path.Combine(root, "cur", $"{unique}:2,{flags}");
            File.WriteAllBytes(path, Message(number));
            File.SetLastWriteTimeUtc(path, FirstDate.AddMinutes(number * 37).UtcDateTime);
        }
    }
}
