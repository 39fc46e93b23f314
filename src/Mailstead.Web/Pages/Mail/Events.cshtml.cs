using System.Threading.Channels;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Mailstead.Core.Sessions;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// Server-sent events (WHATWG HTML §9.2) for the open webmail pages: <c>changed</c> when mail in one of the mailbox's
/// folders changed (a delivery, an IMAP client, another browser), so the page fetches its list again; <c>signed-out</c>
/// when the mailbox's password changed or its sessions were ended, so the page goes to the sign-in page at once. The
/// events carry no mail. The stream stops when the session would go idle (<c>idle</c>): it never keeps a session alive.
/// </summary>
public sealed class EventsModel(UserMailService mail, RevocationHub revocations, IOptions<SessionOptions> sessions, TimeProvider time, IHostApplicationLifetime lifetime) : PageModel
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(25);

    // Changes come in bursts (a move is an expunge here and an append there): one refresh for each burst.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private enum Signal
    {
        Changed,
        SignedOut,
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var signedIn = this.SignedIn();
        // A server shutting down waits for open requests: this one ends at once.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted, lifetime.ApplicationStopping);
        var aborted = ending.Token;
        var signals = Channel.CreateBounded<Signal>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropWrite });
        var watch = await mail.WatchAsync(signedIn.Login, () => signals.Writer.TryWrite(Signal.Changed), aborted).ConfigureAwait(false);
        if (!watch.Succeeded)
        {
            return NotFound();
        }

        using var watching = watch.Value;
        // A flag as well as a signal: a full channel drops the signal, but then a wakeup is already waiting.
        var signedOut = 0;
        using var revoked = revocations.Subscribe(r =>
        {
            if (r.Owner == signedIn.Owner)
            {
                Volatile.Write(ref signedOut, 1);
                signals.Writer.TryWrite(Signal.SignedOut);
            }
        });

        var session = signedIn.Session.Session;
        var until = new DateTimeOffset(DateTime.SpecifyKind(Min(session.ExpiresAt, session.LastSeenAt + sessions.Value.IdleTimeout), DateTimeKind.Utc));
        Response.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-store";
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await SendAsync("retry: 5000\n\n", aborted).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var left = until - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    await SendAsync("event: idle\ndata:\n\n", aborted).ConfigureAwait(false);
                    break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                wait.CancelAfter(left < KeepAlive ? left : KeepAlive);
                Signal signal;
                try
                {
                    signal = await signals.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await SendAsync(": keep-alive\n\n", aborted).ConfigureAwait(false);
                    continue;
                }

                if (signal == Signal.SignedOut || Volatile.Read(ref signedOut) == 1)
                {
                    await SendAsync("event: signed-out\ndata:\n\n", aborted).ConfigureAwait(false);
                    break;
                }

                await Task.Delay(Settle, time, aborted).ConfigureAwait(false);
                while (signals.Reader.TryPeek(out var next) && next == Signal.Changed)
                {
                    signals.Reader.TryRead(out _);
                }

                await SendAsync("event: changed\ndata:\n\n", aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page was closed or left, or the server is stopping.
        }

        return new EmptyResult();
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await Response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
