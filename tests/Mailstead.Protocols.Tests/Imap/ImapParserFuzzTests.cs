using System.Buffers;
using System.Diagnostics;
using System.Text;
using Mailstead.Protocols.Imap.Commands;
using Xunit.Abstractions;

namespace Mailstead.Protocols.Tests.Imap;

public class ImapParserFuzzTests(ITestOutputHelper output)
{
    private const int Lines = 1_000_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private static readonly ImapLimits Limits = new(MaxCommandTextLength: 512, MaxLiteralLength: 256, MaxAppendLength: 1024);

    private static readonly string[] Corpus =
    [
        "a1 UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID)])",
        "a2 LOGIN {4+}\r\nfred {6}\r\nsecret",
        "a3 APPEND \"Sent\" (\\Seen $Label) \"24-Nov-2026 13:30:07 +0100\" ~{5+}\r\nab\0cd",
        "a4 SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (FROM \"x\") NOT (1:5 UID 9:*) HEADER Message-ID \"<a@b>\" SINCE 1-Feb-1994 MODSEQ \"/flags/\\\\draft\" all 5",
        "a5 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211 (1:5 41:45)))",
        "a6 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"&U,BTFw-/%\") RETURN (CHILDREN STATUS (MESSAGES UNSEEN))",
        "a7 STORE 2:4 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted keyword)",
        "a8 UID FETCH 300:500 (FLAGS BINARY.PEEK[1.2]<0.2048> BODY[]<0.100>) (CHANGEDSINCE 12345 VANISHED)",
        "a9 ID (\"name\" \"imapflow\" \"version\" NIL)",
        "b1 CREATE Drafts (USE (\\Drafts))",
        "b2 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==",
        "b3 ENABLE CONDSTORE UTF8=ACCEPT",
        "b4 UID MOVE 1,3:7 \"Trash\"",
        "b5 STATUS \"&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\" (MESSAGES UIDNEXT SIZE DELETED HIGHESTMODSEQ)",
        "b6 UID EXPUNGE 1:3",
        "b7 RENAME {3}\r\nold \"new\"",
        "b8 IDLE",
        "DONE",
    ];

    private static readonly string[] Fragments =
        [" ", "(", ")", "\"", "\\", "{", "}", "{0}\r\n", "{3+}\r\n", "~{2}\r\n", "{99999999999999999999}\r\n", "\r\n", "\n", "*", ":", ",", "$", "[", "]", "<", ">", ".", "NIL", "\0", "\x80", "&", "-", "NOT ", "OR ", "BODY[", "+FLAGS"];

    [Fact]
    public async Task A_million_garbage_and_mutated_lines_never_throw_hang_or_grow_the_buffer()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("IMAP_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        output.WriteLine($"IMAP_FUZZ_SEED={seed}");
        var run = Task.Run(() => Fuzz(seed));
        var finished = await Task.WhenAny(run, Task.Delay(Budget * 3));
        Assert.True(finished == run, $"Fuzzing hung (IMAP_FUZZ_SEED={seed})");
        var (lines, elapsed) = await run;
        output.WriteLine($"{lines} lines in {elapsed}");
        Assert.True(lines >= Lines || elapsed >= Budget, $"Only {lines} lines (IMAP_FUZZ_SEED={seed})");
    }

    private static (int Lines, TimeSpan Elapsed) Fuzz(int seed)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var framer = new ImapCommandFramer(Limits);
        var unconsumed = new List<byte[]>();
        var lines = 0;
        try
        {
            for (; lines < Lines && clock.Elapsed < Budget; lines++)
            {
                var line = random.Next(4) == 0 ? Garbage(random) : Mutate(random, Corpus[random.Next(Corpus.Length)]);
                ParseDirectly(line, utf8: random.Next(2) == 0);
                StreamThroughFramer(random, framer, unconsumed, line);
            }
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Fuzzing failed at line {lines} (IMAP_FUZZ_SEED={seed})", e);
        }
        return (lines, clock.Elapsed);
    }

    private static void ParseDirectly(byte[] line, bool utf8)
    {
        if (!ImapCommandParser.TryParse(new ReadOnlySequence<byte>(line), utf8, out var command, out var rejection))
        {
            Check(rejection);
        }
        else if (command.Tag.Length == 0)
        {
            throw new InvalidOperationException("Parsed a command without a tag");
        }
    }

    /// <summary>Sends the line and a CRLF in random pieces through one long-lived framer, as a connection would.</summary>
    private static void StreamThroughFramer(Random random, ImapCommandFramer framer, List<byte[]> unconsumed, byte[] line)
    {
        byte[] data = [.. line, (byte)'\r', (byte)'\n'];
        var offset = 0;
        while (offset < data.Length)
        {
            var take = Math.Min(data.Length - offset, 1 + random.Next(64));
            unconsumed.Add(data[offset..(offset + take)]);
            offset += take;
            while (true)
            {
                var buffer = Segments.Create(unconsumed);
                var frame = framer.ReadCommand(buffer);
                if (frame.Consumed < 0 || frame.Consumed > buffer.Length)
                {
                    throw new InvalidOperationException($"Consumed {frame.Consumed} of {buffer.Length}");
                }
                if (frame.Kind == ImapFrameKind.Command
                    && !ImapCommandParser.TryParse(frame.Line, utf8Enabled: false, out _, out var rejection))
                {
                    Check(rejection);
                }
                if (frame.Kind == ImapFrameKind.Rejected)
                {
                    Check(frame.Rejection!);
                }
                Drop(unconsumed, frame.Consumed);
                if (frame.Kind == ImapFrameKind.NeedMoreData)
                {
                    break;
                }
            }
            // What a connection may pin: the command text, its literals, and one read.
            var buffered = unconsumed.Sum(c => (long)c.Length);
            if (buffered > Limits.MaxCommandTextLength + Limits.MaxLiteralLength + Limits.MaxAppendLength + 64)
            {
                throw new InvalidOperationException($"Framer holds {buffered} bytes");
            }
        }
    }

    private static void Check(ImapRejection rejection)
    {
        if (rejection.Message.Length == 0 || rejection.Message.Any(c => c is < ' ' or > '~'))
        {
            throw new InvalidOperationException($"Unsendable message: {rejection.Message}");
        }
    }

    private static byte[] Garbage(Random random)
    {
        var bytes = new byte[random.Next(200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, string seedLine)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(seedLine));
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(6))
            {
                case 0 when at < bytes.Count:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1 when at < bytes.Count:
                    bytes.RemoveRange(at, random.Next(1, Math.Min(8, bytes.Count - at) + 1));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4 when at < bytes.Count:
                    var length = random.Next(1, bytes.Count - at + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(0x20, 0x7F));
                    break;
            }
        }
        return [.. bytes];
    }

    private static void Drop(List<byte[]> chunks, long count)
    {
        while (count > 0)
        {
            var first = chunks[0];
            if (first.Length <= count)
            {
                count -= first.Length;
                chunks.RemoveAt(0);
            }
            else
            {
                chunks[0] = first[(int)count..];
                count = 0;
            }
        }
    }
}
