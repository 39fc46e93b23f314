using System.Buffers;
using System.Text;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Tests.Imap;

/// <summary>
/// Plays the server side of a connection the way the IMAP session will: each
/// <see cref="Receive(string)"/> is one network read, kept as its own buffer segment so
/// that literals and lines split across reads are exercised. What the server would
/// send is recorded in <see cref="Responses"/>, what it would execute in <see cref="Commands"/>.
/// </summary>
internal sealed class ImapTranscript(ImapLimits? limits = null, bool utf8 = false, MessageMemory? memory = null)
{
    /// <summary>The limits a server gets from its default configuration.</summary>
    public static readonly ImapLimits DefaultLimits = ImapLimits.From(new ProtocolLimits(), new MailOptions());

    private readonly ImapCommandFramer _framer = new(limits ?? DefaultLimits, memory);
    private readonly List<byte[]> _unconsumed = [];
    private bool _idling;

    public List<string> Responses { get; } = [];

    public List<ImapCommand> Commands { get; } = [];

    public List<ImapRejection> Rejections { get; } = [];

    /// <summary>Bytes the framer has not consumed yet.</summary>
    public long Buffered => _unconsumed.Sum(c => (long)c.Length);

    public ImapTranscript Receive(string text) => Receive(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <paramref name="text"/> one byte per read, the worst case for a framer.</summary>
    public ImapTranscript ReceiveBytewise(string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            Receive([b]);
        }
        return this;
    }

    public ImapTranscript Receive(byte[] read)
    {
        _unconsumed.Add(read);
        while (true)
        {
            var buffer = Segments.Create(_unconsumed);
            if (_idling)
            {
                // What MailConnection.ReadLineAsync does for the session during IDLE.
                if (buffer.PositionOf((byte)'\n') is not { } lf)
                {
                    return this;
                }
                var line = buffer.Slice(0, lf).ToArray().AsSpan().TrimEnd((byte)'\r');
                Responses.Add(ImapCommandParser.IsIdleDone(line) ? "idle OK IDLE terminated" : "* BAD Expected DONE");
                _idling = false;
                Drop(buffer.Slice(0, lf).Length + 1);
                continue;
            }
            var frame = _framer.ReadCommand(buffer);
            switch (frame.Kind)
            {
                case ImapFrameKind.NeedMoreData:
                    Drop(frame.Consumed);
                    return this;
                case ImapFrameKind.Continue:
                    Responses.Add("+ Ready for literal data");
                    break;
                case ImapFrameKind.Command:
                    if (ImapCommandParser.TryParse(frame.Line, utf8, out var command, out var rejection))
                    {
                        Commands.Add(command);
                        Responses.Add($"{command.Tag} OK {command.Name}");
                        if (command.Name == ImapCommandName.Idle)
                        {
                            Responses.Add("+ idling");
                            _idling = true;
                        }
                    }
                    else
                    {
                        Reject(rejection);
                    }
                    break;
                case ImapFrameKind.Rejected:
                    Reject(frame.Rejection!);
                    break;
            }
            Drop(frame.Consumed);
        }
    }

    private void Reject(ImapRejection rejection)
    {
        Rejections.Add(rejection);
        Responses.Add(rejection.Reason == ImapRejectReason.LiteralTooLarge
            ? $"{rejection.Tag ?? "*"} BAD [TOOBIG] {rejection.Message}"
            : $"{rejection.Tag ?? "*"} BAD {rejection.Message}");
    }

    private void Drop(long count)
    {
        while (count > 0)
        {
            var first = _unconsumed[0];
            if (first.Length <= count)
            {
                count -= first.Length;
                _unconsumed.RemoveAt(0);
            }
            else
            {
                _unconsumed[0] = first[(int)count..];
                count = 0;
            }
        }
    }
}

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> with one segment per array, as a pipe hands reads over.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(IReadOnlyList<byte[]> chunks)
    {
        var nonEmpty = chunks.Where(c => c.Length > 0).ToList();
        if (nonEmpty.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segments(nonEmpty[0], 0);
        var last = first;
        foreach (var chunk in nonEmpty.Skip(1))
        {
            var next = new Segments(chunk, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
