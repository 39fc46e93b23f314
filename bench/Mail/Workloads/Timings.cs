using System.Diagnostics;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>Count, rate over the whole run, and nearest-rank percentiles of one operation.</summary>
internal sealed record OperationStats(string Name, int Count, double PerSecond, double P50Ms, double P99Ms);

/// <summary>Latencies per operation, from every client of a workload; operations keep the order they first ran in.</summary>
internal sealed class Timings
{
    private readonly Lock _lock = new();
    private readonly List<(string Name, List<double> Milliseconds)> _operations = [];

    public async Task<T> TimeAsync<T>(string operation, Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        var result = await call().ConfigureAwait(false);
        Add(operation, clock.Elapsed);
        return result;
    }

    public Task TimeAsync(string operation, Func<Task> call) => TimeAsync(operation, async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    public void Add(string operation, TimeSpan elapsed)
    {
        lock (_lock)
        {
            var index = _operations.FindIndex(o => o.Name == operation);
            if (index < 0)
            {
                _operations.Add((operation, []));
                index = _operations.Count - 1;
            }

            _operations[index].Milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public IReadOnlyList<OperationStats> Summarize(TimeSpan wall)
    {
        lock (_lock)
        {
            return [.. _operations.Select(o =>
            {
                var sorted = o.Milliseconds.Order().ToList();
                return new OperationStats(o.Name, sorted.Count, sorted.Count / wall.TotalSeconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
            })];
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
