using System.Diagnostics;
using Mailstead.Bench.Mail.Clients;
using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>The server's memory with no connection, then with <paramref name="Opened"/> authenticated connections in IDLE.</summary>
internal sealed record IdleResult(string Server, Memory Before, Memory Holding, int Opened, TimeSpan OpenTime, string? Note);

/// <summary>
/// Phones and desktop clients keep a connection in IDLE all day: this opens the requested number (TLS, LOGIN,
/// SELECT INBOX, IDLE), a few at a time as clients reconnecting after an outage would, and reads the server's
/// memory once they have all settled.
/// </summary>
internal static class IdleWorkload
{
    private const int OpeningAtOnce = 32;

    public static async Task<IdleResult> RunAsync(IMailServer server, Workspace workspace, Arguments arguments)
    {
        var before = server.Memory();
        if (server.ImapsPort is not { } port)
        {
            return new IdleResult(server.Name, before, before, 0, TimeSpan.Zero, "does not serve IMAP");
        }

        var clients = new List<ImapClient>(arguments.IdleConnections);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(arguments.IdleSeconds));
        using var slots = new SemaphoreSlim(OpeningAtOnce);
        var clock = Stopwatch.StartNew();
        var idling = 0;
        string? note = null;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, arguments.IdleConnections).Select(async _ =>
            {
                await slots.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    var client = await ImapClient.ConnectAsync(port, workspace.Certificate, timeout.Token).ConfigureAwait(false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }

                    await client.LoginAsync(Content.Recipient, workspace.Password, timeout.Token).ConfigureAwait(false);
                    await client.CommandAsync("SELECT INBOX", timeout.Token).ConfigureAwait(false);
                    await client.IdleAsync(timeout.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref idling);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ProtocolException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            note = clients.Count == 0 && e is System.Net.Sockets.SocketException
                ? "nothing listens on its IMAPS port: this build does not serve IMAP yet"
                : $"stopped with {idling} idling: {e.Message}";
        }

        var openTime = clock.Elapsed;
        // Let the server finish what the last logins started (Dovecot forks, .NET's allocations) before reading it.
        await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        var holding = server.Memory();
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        return new IdleResult(server.Name, before, holding, idling, openTime, note);
    }
}
