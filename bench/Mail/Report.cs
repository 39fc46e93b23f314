using System.Globalization;
using Mailstead.Bench.Mail.Workloads;

namespace Mailstead.Bench.Mail;

/// <summary>Markdown tables, Mailstead next to its peer, ready to paste into bench/README.md.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Workload(string title, WorkloadResult mailstead, WorkloadResult peer)
    {
        var ratio = $"p50 {mailstead.Server}/{peer.Server}";
        Rows(title, $"| operation | {mailstead.Server} n | /s | p50 ms | p99 ms | {peer.Server} n | /s | p50 ms | p99 ms | {ratio} |", mailstead, peer,
            (name, ours, theirs) => $"| {name} | {Cells(ours)} | {Cells(theirs)} | {Ratio(ours?.P50Ms, theirs?.P50Ms)} |");
        Console.WriteLine(string.Create(Invariant, $"| whole workload, s | {Seconds(mailstead)} | | | | {Seconds(peer)} | | | | {Ratio(mailstead.Wall.TotalSeconds, peer.Wall.TotalSeconds)} |"));
        Notes(mailstead.Server, mailstead.Note);
        Notes(peer.Server, peer.Note);
    }

    public static void Throughput(string title, WorkloadResult mailstead, WorkloadResult peer)
    {
        Rows(title, $"| command | {mailstead.Server} /s | p50 ms | {peer.Server} /s | p50 ms | rate {mailstead.Server}/{peer.Server} |", mailstead, peer,
            (name, ours, theirs) => string.Create(Invariant,
                $"| {name} | {ours?.PerSecond:0.0} | {Milliseconds(ours?.P50Ms ?? double.NaN)} | {theirs?.PerSecond:0.0} | {Milliseconds(theirs?.P50Ms ?? double.NaN)} | {Ratio(ours?.PerSecond, theirs?.PerSecond)} |"));
        Notes(mailstead.Server, mailstead.Note);
        Notes(peer.Server, peer.Note);
    }

    // A table with a row per operation either server ran, in the order they first ran.
    private static void Rows(string title, string header, WorkloadResult mailstead, WorkloadResult peer, Func<string, OperationStats?, OperationStats?, string> row)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine(header);
        Console.WriteLine("|---" + string.Concat(Enumerable.Repeat("|---:", header.Count(c => c == '|') - 2)) + "|");
        foreach (var name in mailstead.Operations.Select(o => o.Name).Concat(peer.Operations.Select(o => o.Name)).Distinct())
        {
            Console.WriteLine(row(name, mailstead.Operations.FirstOrDefault(o => o.Name == name), peer.Operations.FirstOrDefault(o => o.Name == name)));
        }
    }

    public static void Idle(int requested, IdleResult mailstead, IdleResult peer)
    {
        Console.WriteLine();
        Console.WriteLine($"### Memory with {requested} authenticated IMAP connections in IDLE (TLS)");
        Console.WriteLine();
        Console.WriteLine("| server | idling | opened in s | processes | RSS before MiB | RSS holding MiB | PSS before MiB | PSS holding MiB | PSS per connection KiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in new[] { mailstead, peer })
        {
            var perConnection = result.Opened == 0 ? "" : ((result.Holding.PssBytes - result.Before.PssBytes) / 1024.0 / result.Opened).ToString("0.0", Invariant);
            Console.WriteLine(string.Create(Invariant,
                $"| {result.Server} | {result.Opened} | {result.OpenTime.TotalSeconds:0.0} | {result.Holding.Processes} | {MiB(result.Before.RssBytes)} | {MiB(result.Holding.RssBytes)} | {MiB(result.Before.PssBytes)} | {MiB(result.Holding.PssBytes)} | {perConnection} |"));
        }

        if (mailstead.Opened > 0 && peer.Opened > 0)
        {
            Console.WriteLine(string.Create(Invariant, $"| PSS holding, {mailstead.Server}/{peer.Server} | | | | | | | {Ratio(mailstead.Holding.PssBytes, peer.Holding.PssBytes)} | |"));
        }

        Notes(mailstead.Server, mailstead.Note);
        Notes(peer.Server, peer.Note);
    }

    private static string Cells(OperationStats? stats) => stats is null
        ? " | | | "
        : string.Create(Invariant, $"{stats.Count} | {stats.PerSecond:0.0} | {Milliseconds(stats.P50Ms)} | {Milliseconds(stats.P99Ms)}");

    private static string Milliseconds(double value) => double.IsNaN(value) ? "" : value.ToString(value < 10 ? "0.00" : "0.0", Invariant);

    private static string Seconds(WorkloadResult result) => result.Operations.Count == 0 ? "" : result.Wall.TotalSeconds.ToString("0.00", Invariant);

    private static string Ratio(double? ours, double? theirs) =>
        ours is > 0 && theirs is > 0 && !double.IsNaN(ours.Value) && !double.IsNaN(theirs.Value) ? (ours.Value / theirs.Value).ToString("0.00", Invariant) : "";

    private static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", Invariant);

    private static void Notes(string server, string? note)
    {
        if (note is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"{server}: {note}.");
        }
    }
}
