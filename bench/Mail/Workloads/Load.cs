using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Authentication;
using Mailstead.Bench.Mail.Clients;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>What one workload measured on one server; <see cref="Note"/> says why it is partial or empty.</summary>
internal sealed record WorkloadResult(string Server, IReadOnlyList<OperationStats> Operations, TimeSpan Wall, string? Note)
{
    public static WorkloadResult Unavailable(string server, string why) => new(server, [], TimeSpan.Zero, why);
}

/// <summary>One client of a workload: it records into the timings, talks to the port, knows its number.</summary>
internal delegate Task Worker(Timings timings, int port, int worker, CancellationToken cancellationToken);

/// <summary>Runs a workload's clients side by side under the time limit, and turns the ways it can end into a result.</summary>
internal static class Load
{
    /// <summary>
    /// Runs <paramref name="warmUp"/> untimed first, so neither server is measured while it JIT-compiles, builds its
    /// indexes or fills its caches, then <paramref name="workers"/> copies of <paramref name="worker"/> at once. A
    /// server runs for days: .NET compiles a method with full optimisation only after some 30 calls, so one warm-up
    /// session would time Mailstead's first, unoptimised code (up to 2.5 times slower in the IMAP workload).
    /// </summary>
    public static async Task<WorkloadResult> RunAsync(string server, int? port, int workers, TimeSpan limit, Worker warmUp, Worker worker)
    {
        if (port is not { } open)
        {
            return WorkloadResult.Unavailable(server, "does not serve this protocol");
        }

        var timings = new Timings();
        using var timeout = new CancellationTokenSource(limit);
        var clock = new Stopwatch();
        string? note = null;
        try
        {
            await warmUp(new Timings(), open, -1, timeout.Token).ConfigureAwait(false);
            clock.Start();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(w => worker(timings, open, w, timeout.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            note = $"stopped by the {limit.TotalSeconds:0} s limit";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return WorkloadResult.Unavailable(server, "nothing listens on its port: this build does not serve the protocol yet");
        }
        catch (Exception e) when (e is ProtocolException or IOException or AuthenticationException or SocketException)
        {
            note = $"failed: {e.Message}";
        }

        return new WorkloadResult(server, timings.Summarize(clock.Elapsed), clock.Elapsed, note);
    }
}
