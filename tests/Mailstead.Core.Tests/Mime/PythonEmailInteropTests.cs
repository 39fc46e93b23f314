using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Mailstead.Core.Mime;

namespace Mailstead.Core.Tests.Mime;

/// <summary>A parser nobody here wrote, Python's <c>email</c> package, reads what the builder writes.</summary>
public sealed class PythonEmailInteropTests
{
    // Reads the message from stdin with the modern policy (RFC 2047 and 2231 decoding) and prints what a mail client shows.
    private const string Reader = """
        import sys, json, hashlib, email, email.policy
        m = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
        print(json.dumps({
            "defects": [str(d) for part in m.walk() for d in part.defects],
            "subject": str(m["subject"]),
            "from_name": m["from"].addresses[0].display_name,
            "from": m["from"].addresses[0].addr_spec,
            "to": [a.addr_spec for a in m["to"].addresses],
            "bcc": m["bcc"],
            "text": m.get_body(("plain",)).get_content(),
            "attachments": [[a.get_filename(), a.get_content_type(), hashlib.sha256(a.get_payload(decode=True)).hexdigest()] for a in m.iter_attachments()],
        }))
        """;

    [Fact]
    public async Task Python_email_reads_the_unicode_subject_names_text_and_attachment_exactly_as_written()
    {
        var attachment = RandomNumberGenerator.GetBytes(50_000);
        var built = MessageBuilder.Build(
            new OutgoingMessage
            {
                From = new("zoe@example.test", "Zoë Ådahl, Café"),
                To = [new("anna@example.test", "Anna Bürger"), new("bob@example.test")],
                Bcc = [new("hidden@example.test")],
                Subject = "Грüße — résumé attached, with a subject long enough to need several encoded words",
                Text = "Hej Anna,\nhär är mitt CV. 😀\n",
                Attachments = [new("Lebenslauf Zoë — 2026 (endgültige Fassung für die Bewerbung).pdf", attachment)],
            },
            TimeProvider.System).Value!;

        var info = new ProcessStartInfo("python3", ["-c", Reader]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(info)!;
        await python.StandardInput.BaseStream.WriteAsync(built.Bytes);
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(python.ExitCode == 0, error);

        var read = JsonDocument.Parse(output).RootElement;
        Assert.Empty(read.GetProperty("defects").EnumerateArray());
        Assert.Equal("Грüße — résumé attached, with a subject long enough to need several encoded words", read.GetProperty("subject").GetString());
        Assert.Equal("Zoë Ådahl, Café", read.GetProperty("from_name").GetString());
        Assert.Equal("zoe@example.test", read.GetProperty("from").GetString());
        Assert.Equal(["anna@example.test", "bob@example.test"], read.GetProperty("to").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("bcc").ValueKind);
        Assert.Equal("Hej Anna,\nhär är mitt CV. 😀\n", read.GetProperty("text").GetString());
        var file = Assert.Single(read.GetProperty("attachments").EnumerateArray()).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["Lebenslauf Zoë — 2026 (endgültige Fassung für die Bewerbung).pdf", "application/pdf", Convert.ToHexStringLower(SHA256.HashData(attachment))], file);
    }
}
