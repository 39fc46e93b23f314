using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// IDLE (RFC 2177): the client waits; new messages, flag changes and expunges in the selected folder are
// announced as they happen, until DONE. A termination (password changed, session ended, shutdown) ends it with BYE.
internal sealed partial class ImapSession
{
    // Changes made by another process (the CLI's import, another node) raise no in-process signal: look anyway.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    private async Task<Reply> IdleAsync()
    {
        if (!await SendAsync("+ idling").ConfigureAwait(false))
        {
            return Reply.End;
        }

        // RFC 2177 §3: the autologout timer runs across the whole IDLE, not per announcement.
        var deadline = DateTime.UtcNow + _limits.ImapIdleTimeout;
        while (true)
        {
            if (_state == ImapState.Selected)
            {
                if (!await SynchronizeAsync(allowExpunge: true).ConfigureAwait(false))
                {
                    return Reply.End;
                }

                if (!await _connection.FlushAsync().ConfigureAwait(false))
                {
                    return Reply.End;
                }
            }

            using var wake = new CancellationTokenSource(IdlePoll);
            Interlocked.Exchange(ref _wake, wake);
            InputRead read;
            try
            {
                // A signal that came while the folder was being read is not lost: it wakes this wait at once.
                if (Volatile.Read(ref _folderChanged) == 1)
                {
                    await wake.CancelAsync().ConfigureAwait(false);
                }

                var left = deadline - DateTime.UtcNow;
                read = await _connection.ReadAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), wake.Token).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _wake, null);
            }

            switch (read.Status)
            {
                case ReadStatus.Woken:
                    continue;
                case ReadStatus.Data:
                    break;
                default:
                    await GoodbyeAsync(read.Status).ConfigureAwait(false);
                    return Reply.End;
            }

            var buffer = read.Buffer;
            if (buffer.Length <= _examined)
            {
                return Reply.End;
            }

            var frame = _framer.ReadLine(buffer);
            var consumed = buffer.GetPosition(frame.Consumed);
            if (frame.Kind is ImapFrameKind.NeedMoreData or ImapFrameKind.Continue)
            {
                _examined = buffer.Length - frame.Consumed;
                _connection.AdvanceTo(consumed, buffer.End);
                continue;
            }

            _examined = -1;
            var done = frame.Kind == ImapFrameKind.Command && ImapCommandParser.IsIdleDone(frame.Line);
            _connection.AdvanceTo(consumed);
            return done ? Reply.Ok("IDLE terminated.") : Reply.Bad("Expected DONE to end IDLE.");
        }
    }
}
