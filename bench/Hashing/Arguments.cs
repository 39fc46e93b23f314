using System.Globalization;
using Mailstead.Core.Credentials.Hashing;

namespace Mailstead.Bench.Hashing;

internal sealed record Arguments(int Seconds, int MemoryKiB, int Iterations, int DoveadmRuns)
{
    public static Arguments Parse(string[] args)
    {
        var defaults = new HashingOptions();
        var result = new Arguments(5, defaults.MemoryKiB, defaults.Iterations, 40);
        foreach (var arg in args)
        {
            var parts = arg.Split('=', 2);
            var value = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : throw new ArgumentException($"Expected --name=value, got '{arg}'.");
            result = parts[0] switch
            {
                "--seconds" => result with { Seconds = value },
                "--memory-kib" => result with { MemoryKiB = value },
                "--iterations" => result with { Iterations = value },
                "--doveadm-runs" => result with { DoveadmRuns = value },
                _ => throw new ArgumentException($"Unknown argument '{parts[0]}'."),
            };
        }

        return result;
    }
}
