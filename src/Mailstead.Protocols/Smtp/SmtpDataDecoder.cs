using System.Buffers;
using Mailstead.Protocols.Connections;

namespace Mailstead.Protocols.Smtp;

/// <summary>Why the content of a DATA command is refused, once its end has been read.</summary>
internal enum DataProblem
{
    None,

    /// <summary>A CR or LF not part of a CRLF pair (SMTP smuggling, CVE-2023-51764).</summary>
    BareLineEnding,

    /// <summary>A line longer than the limit; its bytes were discarded.</summary>
    LineTooLong,

    /// <summary>More than the largest message accepted; storing stopped.</summary>
    TooLarge,

    /// <summary>The messages being received at once already hold all the memory they may (<see cref="MessageMemory"/>).</summary>
    NoMemory,
}

/// <summary>
/// Decodes the mail data of DATA (RFC 5321 §4.1.1.4) as it arrives, synchronously over the input buffer: removes
/// dot-stuffing (§4.5.2) and finds the end, CRLF "." CRLF. Only a "." line that ends in CRLF and follows a line
/// ending in CRLF ends the data, so "\n.\r\n" and similar never end it early; any bare CR or LF fails the message
/// (SMTP smuggling, CVE-2023-51764). After a problem the decoder keeps reading to the end without storing, so the
/// session can answer and stay in step with the client.
/// </summary>
internal sealed class SmtpDataDecoder(long maxBytes, int maxLineBytes, MessageMemory memory) : IDisposable
{
    // Memory is held from the shared bound in steps of this much, not per line.
    private const int MemoryStep = 256 * 1024;

    private ArrayBufferWriter<byte>? _body = new();
    private long _memoryHeld;
    private bool _previousEndedInCrLf = true;
    private bool _discardingLongLine;
    private bool _discardedCr;

    public DataProblem Problem { get; private set; }

    /// <summary>The decoded message with CRLF line endings; empty after a problem.</summary>
    public ReadOnlyMemory<byte> Body => _body?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// Consumes the complete lines of <paramref name="buffer"/>. True once the end of data was consumed;
    /// <paramref name="consumed"/> is where the next command starts (or the partial line to keep for later).
    /// </summary>
    public bool Decode(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
        {
            if (_discardingLongLine)
            {
                _discardingLongLine = false;
                _previousEndedInCrLf = raw.IsEmpty ? _discardedCr : EndsWithCr(raw);
                continue;
            }

            if (raw.Length > maxLineBytes + 1)
            {
                Fail(DataProblem.LineTooLong);
                _previousEndedInCrLf = EndsWithCr(raw);
                continue;
            }

            if (Line(raw))
            {
                consumed = reader.Position;
                return true;
            }
        }

        // No LF in what is left: a partial line. Beyond the limit it can only be refused, so drop it now.
        if (reader.Remaining > maxLineBytes + 1)
        {
            Fail(DataProblem.LineTooLong);
            _discardingLongLine = true;
            reader.Advance(reader.Remaining - 1);
            _discardedCr = reader.IsNext((byte)'\r');
            reader.Advance(1);
        }

        consumed = reader.Position;
        return false;
    }

    /// <summary>One line without its LF; true when it is the end of the data.</summary>
    private bool Line(ReadOnlySequence<byte> raw)
    {
        // Lines are bounded by maxLineBytes, so a line split across buffer segments is copied at most that far.
        var line = raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray();

        var crLf = line.Length > 0 && line[^1] == '\r';
        var content = crLf ? line[..^1] : line;
        var endOfData = crLf && _previousEndedInCrLf && content.SequenceEqual("."u8);
        _previousEndedInCrLf = crLf;
        if (endOfData)
        {
            return true;
        }

        if (!crLf || content.Contains((byte)'\r'))
        {
            Fail(DataProblem.BareLineEnding);
            return false;
        }

        // §4.5.2: a leading period was doubled by the client.
        if (content.Length > 0 && content[0] == '.')
        {
            content = content[1..];
        }

        if (_body is not null)
        {
            var size = _body.WrittenCount + content.Length + 2;
            if (size > maxBytes)
            {
                Fail(DataProblem.TooLarge);
                return false;
            }

            if (!memory.TryHold(ref _memoryHeld, size, MemoryStep))
            {
                Fail(DataProblem.NoMemory);
                return false;
            }

            _body.Write(content);
            _body.Write("\r\n"u8);
        }

        return false;
    }

    /// <summary>Gives the memory taken for the body back; the body is not to be used after.</summary>
    public void Dispose() => Drop();

    private void Fail(DataProblem problem)
    {
        if (Problem == DataProblem.None)
        {
            Problem = problem;
        }

        Drop();
    }

    private void Drop()
    {
        memory.Release(ref _memoryHeld);
        _body = null;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> raw) => !raw.IsEmpty && raw.Slice(raw.Length - 1).FirstSpan[0] == '\r';
}
