using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailstead.Protocols.Imap.Body;
using Mailstead.Core.Mime;
using Xunit.Abstractions;

namespace Mailstead.Protocols.Tests.Mime;

// A million mutated and random messages through the parser, both renderers and
// section extraction. The seed is random per run (set MAILSTEAD_FUZZ_SEED to
// replay one) and is reported with the failing input.
public class MimeFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 1_000_000;
    private const int MaxInputLength = 400;

    // Pieces that steer mutations towards the parser's decisions.
    private static readonly byte[][] Fragments =
    [
        .. new[]
        {
            "\r\n", "\n", "\r", "\r\n\r\n", "--", "--b", "--b--", "--outer\r\n", "--inner--", ":", " ", "\t", ";", "=",
            "\"", "(", ")", "<", ">", "@", ",", "[", "]", "\\", "*", "'", "%", "%E9", "=?", "?=", "?q?", "?b?",
            "=?utf-8?b?w6k=?=", "=?x?q?=FF?=", "name*0*=utf-8''%E2", "name*1=x", "boundary=b",
            "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n",
            "Content-Type: multipart/digest; boundary=outer\r\n", "Content-Transfer-Encoding: base64\r\n",
            "Content-Transfer-Encoding: quoted-printable\r\n", "From: a:b@c;,<@d:e@f>\r\n", "To: g: ;\r\n",
            "Content-Language: en, (x) de\r\n", "Content-Disposition: attachment; filename*=''\r\n",
        }.Select(Encoding.ASCII.GetBytes),
        [0x00], [0xFF], [0xC3, 0xA9], [0x80],
    ];

    private static readonly string[] Sections =
    [
        "", "HEADER", "TEXT", "1", "2", "1.MIME", "2.HEADER", "2.TEXT", "1.1", "1.2.3", "2.1.MIME",
        "HEADER.FIELDS (From Content-Type)", "1.HEADER.FIELDS.NOT (To)", "3.2.1.TEXT",
    ];

    [Fact(Timeout = 120_000)]
    public async Task MillionMutatedMessagesNeverThrowOrHang()
    {
        var seed = Environment.GetEnvironmentVariable("MAILSTEAD_FUZZ_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var elapsed = Stopwatch.StartNew();

        await Task.Run(() => Run(seed));

        output.WriteLine($"{Iterations} inputs in {elapsed.Elapsed}");
    }

    private static void Run(int seed)
    {
        var random = new Random(seed);
        var samples = Directory.GetFiles(TestMessages.Directory).Select(File.ReadAllBytes)
            .Append(MimeParserTests.DeeplyNested(40))
            .ToArray();
        var sections = Sections.Select(spec => ImapSections.TryParse(spec, out var section) ? section : throw new InvalidOperationException(spec)).ToArray();
        var rendered = new ArrayBufferWriter<byte>();
        var input = new List<byte>(MaxInputLength * 2);
        for (var i = 0; i < Iterations; i++)
        {
            Mutate(random, samples, input);
            var bytes = input.ToArray();
            try
            {
                var mode = (i & 1) == 0 ? MimeParseMode.Loose : MimeParseMode.Strict;
                var message = MimeMessage.Parse(bytes, mode);
                rendered.ResetWrittenCount();
                ImapBodyWriter.WriteBodyStructure(rendered, message.Root, extensible: (i & 2) == 0);
                ImapBodyWriter.WriteEnvelope(rendered, message.Root);
                ImapSections.Extract(message, sections[random.Next(sections.Length)], new ImapPartial(random.Next(64), random.Next(1, 512)));
                if ((i & 15) == 0)
                {
                    Visit(message.Root);
                }
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException(
                    $"seed {seed}, iteration {i}, input (base64) {Convert.ToBase64String(bytes)}", exception);
            }
        }
    }

    // The display-side helpers, on every entity of some of the trees.
    private static void Visit(MimeEntity entity)
    {
        entity.DecodeText();
        foreach (var field in entity.Fields)
        {
            EncodedWords.Decode(field.Value);
            AddressListParser.Parse(field.Value);
        }

        foreach (var child in entity.Children)
        {
            Visit(child);
        }
    }

    // One in eight inputs is random octets; the rest are a window of a sample with
    // one to eight splices of random octets, fragments, deletions or duplications.
    private static void Mutate(Random random, byte[][] samples, List<byte> input)
    {
        input.Clear();
        if (random.Next(8) == 0)
        {
            var length = random.Next(MaxInputLength);
            for (var i = 0; i < length; i++)
            {
                input.Add((byte)random.Next(256));
            }

            return;
        }

        var sample = samples[random.Next(samples.Length)];
        var start = random.Next(2) == 0 ? 0 : random.Next(sample.Length);
        input.AddRange(sample.AsSpan(start, Math.Min(MaxInputLength, sample.Length - start)));
        var mutations = random.Next(1, 9);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(input.Count + 1);
            switch (random.Next(4))
            {
                case 0:
                    input.Insert(at, (byte)random.Next(256));
                    break;
                case 1:
                    input.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    input.RemoveRange(at, Math.Min(random.Next(1, 32), input.Count - at));
                    break;
                default:
                    var length = Math.Min(random.Next(1, 64), input.Count - at);
                    input.InsertRange(at, input.GetRange(at, length));
                    break;
            }
        }
    }
}
