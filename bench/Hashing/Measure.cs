using System.Diagnostics;
using Mailstead.Core.Credentials.Hashing;
using Microsoft.Extensions.Options;

namespace Mailstead.Bench.Hashing;

internal sealed record Measurement(double PerSecond, double MedianMs, long PeakWorkingSet);

internal static class Measure
{
    private const string Password = "correct horse battery staple";

    public static async Task<Measurement> HashesAsync(HashingOptions options, int workers, TimeSpan duration)
    {
        using var hasher = new PasswordHasher(Options.Create(options));
        await hasher.HashAsync("warm up", CancellationToken.None).ConfigureAwait(false);
        return await RunAsync(workers, duration, () => hasher.HashAsync(Password, CancellationToken.None)).ConfigureAwait(false);
    }

    public static async Task<Measurement> VerificationsAsync(HashingOptions options, TimeSpan duration)
    {
        using var hasher = new PasswordHasher(Options.Create(options));
        var hash = await hasher.HashAsync(Password, CancellationToken.None).ConfigureAwait(false);
        return await RunAsync(1, duration, () => hasher.VerifyAsync(Password, hash, CancellationToken.None)).ConfigureAwait(false);
    }

    private static async Task<Measurement> RunAsync(int workers, TimeSpan duration, Func<Task> call)
    {
        var latencies = new List<double>[workers];
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (total.Elapsed < duration)
            {
                var one = Stopwatch.StartNew();
                await call().ConfigureAwait(false);
                mine.Add(one.Elapsed.TotalMilliseconds);
            }
        })).ConfigureAwait(false);
        var elapsed = total.Elapsed.TotalSeconds;

        var all = latencies.SelectMany(list => list).Order().ToList();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return new Measurement(all.Count / elapsed, all[all.Count / 2], self.PeakWorkingSet64);
    }
}
