using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// IDLE (RFC 2177): the client waits; new messages, flag changes and expunges in the selected folder are
// announced as they happen, until DONE. A termination (password changed, session ended, shutdown) ends it with BYE.
internal sealed partial class ImapSession
{
    // Changes made by another process (the CLI's import, another node) raise no in-process signal: look anyway.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    // "DONE" and its line end; anything longer is not DONE.
    private const int MaxIdleLineBytes = 64;

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
            LineRead read;
            try
            {
                // A signal that came while the folder was being read is not lost: it wakes this wait at once.
                if (Volatile.Read(ref _folderChanged) == 1)
                {
                    await wake.CancelAsync().ConfigureAwait(false);
                }

                var left = deadline - DateTime.UtcNow;
                read = await _connection.ReadLineAsync(MaxIdleLineBytes, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), wake.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _wake, null);
            }

            switch (read.Status)
            {
                case ReadStatus.Woken:
                    continue;
                case ReadStatus.Data:
                    return read.Ending != LineEnding.TooLong && ImapCommandParser.IsIdleDone(read.Line)
                        ? Reply.Ok("IDLE terminated.")
                        : Reply.Bad("Expected DONE to end IDLE.");
                default:
                    await GoodbyeAsync(read.Status).ConfigureAwait(false);
                    return Reply.End;
            }
        }
    }
}
