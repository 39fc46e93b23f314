using System.Diagnostics;
using System.Globalization;

namespace Mailstead.Bench.Hashing;

internal sealed record DoveadmTiming(double Median, string Sample);

internal static class Doveadm
{
    private const string Password = "correct horse battery staple";

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "doveadm"))
            .FirstOrDefault(File.Exists);

    public static string Version(string doveadm)
    {
        var (output, _) = Run("dovecot", "--version");
        return $"{doveadm}, dovecot {output.Trim()}";
    }

    public static DoveadmTiming Time(string doveadm, string scheme, int runs)
    {
        var times = new List<double>(runs);
        var sample = "";
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            (sample, _) = Run(doveadm, "pw", "-s", scheme, "-p", Password);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var parameters = sample.Contains("$argon2id$", StringComparison.Ordinal) ? sample.Split('$')[3] : "";
        return new DoveadmTiming(times[runs / 2], parameters);
    }

    /// <summary>Peak resident set of one doveadm run, by GNU time's %M (KiB), when /usr/bin/time is there.</summary>
    public static double PeakResidentMiB(string scheme)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return double.NaN;
        }

        var (_, error) = Run("/usr/bin/time", "-f", "%M", "doveadm", "pw", "-s", scheme, "-p", Password);
        var last = error.Trim().Split('\n')[^1];
        return double.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib / 1024 : double.NaN;
    }

    private static (string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (output, error.Result);
    }
}
