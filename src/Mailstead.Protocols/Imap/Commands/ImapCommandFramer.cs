using System.Buffers;
using System.Text;
using Mailstead.Protocols.Connections;

namespace Mailstead.Protocols.Imap.Commands;

internal enum ImapFrameKind
{
    /// <summary>No complete command yet: read more input before calling again.</summary>
    NeedMoreData,

    /// <summary>
    /// A synchronizing literal of <see cref="ImapFrame.LiteralLength"/> bytes was announced and
    /// accepted: send a continuation request (<c>+ Ready</c>) and call again (RFC 3501 §7.5).
    /// </summary>
    Continue,

    /// <summary><see cref="ImapFrame.Line"/> holds one complete command, literals inline, without its final CRLF.</summary>
    Command,

    /// <summary>The command was refused (<see cref="ImapFrame.Rejection"/>); no "+" is ever sent for it.</summary>
    Rejected,
}

/// <summary>
/// One step of framing. Whatever the kind, the first <see cref="Consumed"/> bytes of
/// the buffer are done with; <see cref="Line"/> is a slice of the caller's buffer and
/// is valid until the caller advances past it.
/// </summary>
internal readonly record struct ImapFrame(
    ImapFrameKind Kind,
    long Consumed,
    ReadOnlySequence<byte> Line = default,
    long LiteralLength = 0,
    ImapRejection? Rejection = null);

/// <summary>
/// Finds complete IMAP commands in buffered input, literals included, without
/// blocking and without copying. One instance per connection: it remembers how far
/// into the current command it has looked, so a large literal arriving in many reads
/// is not rescanned, and it drains what a refused command still sends.
/// </summary>
/// <remarks>
/// Lines end in CRLF (RFC 3501 §2.2); a bare LF is tolerated too, as
/// <see cref="MailConnection.ReadLineAsync"/> tolerates it for IMAP. A line that ends
/// in a literal announcement (RFC 3501 §4.3, RFC 7888 §3, RFC 4466 literal8)
/// continues after the literal's bytes.
/// </remarks>
internal sealed class ImapCommandFramer(ImapLimits limits, MessageMemory? memory = null)
{
    // "~{" + 19 digits + "+}" + CR: the longest announcement whose count fits a long.
    private const int MaxMarkerLength = 32;

    // Enough of a first line to hold any reasonable tag and the word APPEND.
    private const int CommandStartLength = 128;

    // The command being framed; offsets count from its first byte, which stays at
    // the start of the caller's buffer until a frame consumes it.
    private long _scanned;
    private long _textLength;
    private long _literalLength;
    private long _memoryHeld;
    private long _appendLength;
    private bool _startRead;
    private string? _tag;
    private long _appendArgumentsStart = -1;

    // What a refused command still has in flight: the rest of a line, then the
    // non-synchronizing literal it announced, then the line after that, and so on.
    private bool _skippingLine;
    private long _skipLiteral;

    /// <summary>
    /// Frames the next command from <paramref name="buffer"/>, which starts where the
    /// previous frame's <see cref="ImapFrame.Consumed"/> ended. Lines that are not
    /// commands (the DONE of IDLE, SASL responses) are read with
    /// <see cref="MailConnection.ReadLineAsync"/> instead.
    /// </summary>
    public ImapFrame ReadCommand(in ReadOnlySequence<byte> buffer)
    {
        var skipped = Skip(buffer);
        if (_skippingLine || _skipLiteral > 0)
        {
            return new ImapFrame(ImapFrameKind.NeedMoreData, skipped);
        }

        var input = buffer.Slice(skipped);
        while (true)
        {
            if (_scanned > input.Length)
            {
                return new ImapFrame(ImapFrameKind.NeedMoreData, skipped);
            }

            var lineStart = _scanned;
            var rest = input.Slice(lineStart);
            var lf = rest.PositionOf((byte)'\n');
            var lineLength = lf is null ? rest.Length : rest.Slice(0, lf.Value).Length + 1;
            if (lineStart == 0 && !_startRead)
            {
                var text = lf is null ? rest : rest.Slice(0, lf.Value);
                ReadCommandStart(text.Slice(0, Math.Min(text.Length, CommandStartLength)), complete: lf is not null);
            }
            if (_textLength + lineLength > limits.MaxCommandTextLength)
            {
                // Resynchronise at the next line end (RFC 3501 gives no better anchor).
                _skippingLine = true;
                return Reject(buffer, skipped + lineStart, ImapRejectReason.LineTooLong,
                    $"Command line exceeds {limits.MaxCommandTextLength} bytes");
            }
            if (lf is null)
            {
                return new ImapFrame(ImapFrameKind.NeedMoreData, skipped);
            }

            _textLength += lineLength;
            var line = TrimCr(rest.Slice(0, lf.Value));
            var afterLine = lineStart + lineLength;
            if (!TryFindLiteral(line, out var markerStart, out var length, out var synchronizing)
                || InsideQuotedString(line.Slice(0, markerStart)))
            {
                var command = input.Slice(0, lineStart + line.Length);
                ResetCommand();
                return new ImapFrame(ImapFrameKind.Command, skipped + afterLine, command);
            }

            var refused = CheckLiteral(isMessage: _appendArgumentsStart >= 0 && !(lineStart == 0 && markerStart == _appendArgumentsStart),
                length, synchronizing);
            if (refused is { } refusal)
            {
                // RFC 3501 §7.5: a refused synchronizing literal is never sent. A
                // non-synchronizing one is already on its way (RFC 7888 §4): drain it
                // and whatever of the command follows it.
                _skippingLine = !synchronizing;
                _skipLiteral = synchronizing ? 0 : length;
                return Reject(buffer, skipped + afterLine, refusal.Reason, refusal.Message);
            }

            _scanned = afterLine + length;
            if (synchronizing)
            {
                return new ImapFrame(ImapFrameKind.Continue, skipped, LiteralLength: length);
            }
        }
    }

    private (ImapRejectReason Reason, string Message)? CheckLiteral(bool isMessage, long length, bool synchronizing)
    {
        if (!synchronizing && limits.LiteralMinus && length > ImapLimits.LiteralMinusMaximum)
        {
            return (ImapRejectReason.LiteralTooLarge, $"Non-synchronizing literals over {ImapLimits.LiteralMinusMaximum} bytes are not accepted (LITERAL-)");
        }
        if (isMessage)
        {
            if (length > limits.MaxAppendLength - _appendLength)
            {
                return (ImapRejectReason.LiteralTooLarge, $"Message exceeds the limit of {limits.MaxAppendLength} bytes");
            }
            if (memory is not null && !memory.TryHold(ref _memoryHeld, _appendLength + length))
            {
                return (ImapRejectReason.ServerBusy, "Too many messages are being received at once; try again later");
            }
            _appendLength += length;
        }
        else
        {
            if (length > limits.MaxLiteralLength - _literalLength)
            {
                return (ImapRejectReason.LiteralTooLarge, $"Literal exceeds the limit of {limits.MaxLiteralLength} bytes");
            }
            _literalLength += length;
        }
        return null;
    }

    /// <summary>The connection ended: gives back the memory held for the messages of a command still being received.</summary>
    public void Abandon() => memory?.Release(ref _memoryHeld);

    private ImapFrame Reject(in ReadOnlySequence<byte> buffer, long consumed, ImapRejectReason reason, string message)
    {
        var rejection = new ImapRejection(reason, _tag, message);
        ResetCommand();
        consumed += Skip(buffer.Slice(consumed));
        return new ImapFrame(ImapFrameKind.Rejected, consumed, Rejection: rejection);
    }

    /// <summary>Drops what a refused command still sends; returns how many bytes were dropped.</summary>
    private long Skip(in ReadOnlySequence<byte> buffer)
    {
        long consumed = 0;
        while (true)
        {
            if (_skipLiteral > 0)
            {
                var take = Math.Min(_skipLiteral, buffer.Length - consumed);
                consumed += take;
                _skipLiteral -= take;
                if (_skipLiteral > 0)
                {
                    return consumed;
                }
            }
            if (!_skippingLine)
            {
                return consumed;
            }

            var rest = buffer.Slice(consumed);
            var lf = rest.PositionOf((byte)'\n');
            if (lf is null)
            {
                // Keep a tail that may hold a literal announcement split by the read.
                return consumed + Math.Max(0, rest.Length - MaxMarkerLength);
            }
            var line = rest.Slice(0, lf.Value);
            consumed += line.Length + 1;
            // A synchronizing literal of a refused command is never sent: the client
            // waits for a "+" that does not come and reads the tagged answer instead.
            _skippingLine = TryFindLiteral(TrimCr(line), out _, out var length, out var synchronizing) && !synchronizing;
            _skipLiteral = _skippingLine ? length : 0;
        }
    }

    /// <summary>Reads the tag (for tagged rejections) and whether this is APPEND, whose message literals have their own limit.</summary>
    private void ReadCommandStart(ReadOnlySequence<byte> head, bool complete)
    {
        Span<byte> bytes = stackalloc byte[(int)head.Length];
        head.CopyTo(bytes);
        var space = bytes.IndexOf((byte)' ');
        var arguments = space < 0 ? [] : bytes[(space + 1)..];
        if (arguments.Length <= 7 && !complete && head.Length < CommandStartLength)
        {
            return;
        }
        _startRead = true;
        if (space <= 0 || bytes[..space].ContainsAnyExcept(ImapChars.Tag))
        {
            return;
        }
        _tag = Encoding.ASCII.GetString(bytes[..space]);
        if (arguments.Length > 7 && Ascii.EqualsIgnoreCase(arguments[..7], "APPEND "u8))
        {
            _appendArgumentsStart = space + 1 + 7;
        }
    }

    private void ResetCommand()
    {
        // The messages of a command hold memory while they arrive, until the command is complete or refused.
        memory?.Release(ref _memoryHeld);
        _scanned = 0;
        _textLength = 0;
        _literalLength = 0;
        _appendLength = 0;
        _startRead = false;
        _tag = null;
        _appendArgumentsStart = -1;
    }

    private static ReadOnlySequence<byte> TrimCr(ReadOnlySequence<byte> line) =>
        line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == '\r' ? line.Slice(0, line.Length - 1) : line;

    /// <summary>
    /// Finds a literal announcement at the end of a line: <c>{n}</c>, <c>{n+}</c> (RFC 7888),
    /// <c>~{n}</c> or <c>~{n+}</c> (literal8, RFC 4466). A count too large for a long is
    /// reported as <see cref="long.MaxValue"/> so that it fails the limits.
    /// </summary>
    private static bool TryFindLiteral(ReadOnlySequence<byte> line, out long markerStart, out long length, out bool synchronizing)
    {
        markerStart = 0;
        length = 0;
        synchronizing = true;
        var tailLength = (int)Math.Min(line.Length, MaxMarkerLength);
        Span<byte> tail = stackalloc byte[tailLength];
        line.Slice(line.Length - tailLength).CopyTo(tail);

        var i = tail.Length - 1;
        if (i < 0 || tail[i] != '}')
        {
            return false;
        }
        i--;
        if (i >= 0 && tail[i] == '+')
        {
            synchronizing = false;
            i--;
        }
        var digitsEnd = i + 1;
        while (i >= 0 && char.IsAsciiDigit((char)tail[i]))
        {
            i--;
        }
        var digits = tail[(i + 1)..digitsEnd];
        if (digits.IsEmpty || i < 0 || tail[i] != '{')
        {
            return false;
        }
        if (i > 0 && tail[i - 1] == '~')
        {
            i--;
        }
        markerStart = line.Length - tailLength + i;
        length = digits.Length > 18 ? long.MaxValue : long.Parse(digits, provider: null);
        return true;
    }

    /// <summary>Whether a line ends inside a quoted string, where "{" does not announce a literal.</summary>
    private static bool InsideQuotedString(ReadOnlySequence<byte> text)
    {
        var quoted = false;
        var escaped = false;
        foreach (var segment in text)
        {
            foreach (var b in segment.Span)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (quoted && b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    quoted = !quoted;
                }
            }
        }
        return quoted;
    }
}
