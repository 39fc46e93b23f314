using System.Diagnostics;
using System.Globalization;
using Mailstead.Bench.Hashing;
using Mailstead.Core.Credentials.Hashing;

// Measures PasswordHasher's Argon2id on this machine next to Dovecot's `doveadm pw`. Arguments (all optional):
//   --seconds=N        time per measurement (default 5)
//   --memory-kib=N     Argon2id m (default HashingOptions' 19456)
//   --iterations=N     Argon2id t (default HashingOptions' 2)
//   --doveadm-runs=N   doveadm invocations per scheme (default 40)
var settings = Arguments.Parse(args);
var configured = new HashingOptions { MemoryKiB = settings.MemoryKiB, Iterations = settings.Iterations };
var duration = TimeSpan.FromSeconds(settings.Seconds);
var culture = CultureInfo.InvariantCulture;

using var self = Process.GetCurrentProcess();
self.Refresh();
var baselinePeak = self.PeakWorkingSet64;
Console.WriteLine(string.Create(culture, $"Mailstead hashing benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} processors, .NET {Environment.Version}"));
Console.WriteLine(string.Create(culture, $"Configured Argon2id: m={configured.MemoryKiB} KiB, t={configured.Iterations}, p=1; {duration.TotalSeconds:0} s per measurement"));
Console.WriteLine(string.Create(culture, $"Peak working set before hashing: {Mebibytes(baselinePeak):0.0} MiB"));
Console.WriteLine();

var single = await Measure.HashesAsync(configured with { MaxConcurrentHashes = 1 }, workers: 1, duration).ConfigureAwait(false);
Report("Mailstead HashAsync, 1 worker", single, baselinePeak);
var twoWorkers = await Measure.HashesAsync(configured with { MaxConcurrentHashes = 2 }, workers: 2, duration).ConfigureAwait(false);
Report("Mailstead HashAsync, 2 workers", twoWorkers, baselinePeak);
var verify = await Measure.VerificationsAsync(configured with { MaxConcurrentHashes = 1 }, duration).ConfigureAwait(false);
Report("Mailstead VerifyAsync, 1 worker", verify, baselinePeak);

// Dovecot 2.3 ignores -r for ARGON2ID and always writes m=64 MiB, t=3; measure us at those too, for a like-for-like ratio.
var dovecotParameters = new HashingOptions { MemoryKiB = 65536, Iterations = 3, MaxConcurrentHashes = 1 };
var atDovecotParameters = await Measure.HashesAsync(dovecotParameters, workers: 1, duration).ConfigureAwait(false);
Report("Mailstead HashAsync at m=65536,t=3, 1 worker", atDovecotParameters, baselinePeak);
Console.WriteLine();

var doveadm = Doveadm.Find();
if (doveadm is null)
{
    Console.WriteLine("doveadm is not on PATH (apt-get install --no-install-recommends dovecot-core): no Dovecot comparison.");
    return 0;
}

Console.WriteLine(string.Create(culture, $"Dovecot: {Doveadm.Version(doveadm)}, {settings.DoveadmRuns} sequential runs of `doveadm pw -s SCHEME -p PASSWORD` per scheme."));
Console.WriteLine("Each run starts a process; the median of -s PLAIN (no hashing) is that start cost and is subtracted below.");
var plain = Doveadm.Time(doveadm, "PLAIN", settings.DoveadmRuns);
var argon = Doveadm.Time(doveadm, "ARGON2ID", settings.DoveadmRuns);
var sha512Crypt = Doveadm.Time(doveadm, "SHA512-CRYPT", settings.DoveadmRuns);
Console.WriteLine(string.Create(culture, $"  PLAIN          median {plain.Median,7:0.00} ms per run (process start, config read)        peak RSS {Doveadm.PeakResidentMiB("PLAIN"),6:0.0} MiB"));
Console.WriteLine(string.Create(culture, $"  ARGON2ID       median {argon.Median,7:0.00} ms, hashing {argon.Median - plain.Median,7:0.00} ms ({argon.Sample})  peak RSS {Doveadm.PeakResidentMiB("ARGON2ID"),6:0.0} MiB"));
Console.WriteLine(string.Create(culture, $"  SHA512-CRYPT   median {sha512Crypt.Median,7:0.00} ms, hashing {sha512Crypt.Median - plain.Median,7:0.00} ms"));
Console.WriteLine();

var dovecotArgonMs = argon.Median - plain.Median;
Console.WriteLine("Ratios (time per hash, lower is faster):");
Console.WriteLine(string.Create(culture, $"  Mailstead at Dovecot's m=65536,t=3 / Dovecot ARGON2ID: {atDovecotParameters.MedianMs / dovecotArgonMs:0.00}"));
Console.WriteLine(string.Create(culture, $"  Mailstead at configured m={configured.MemoryKiB},t={configured.Iterations} / Dovecot ARGON2ID: {single.MedianMs / dovecotArgonMs:0.00}"));
return 0;

static double Mebibytes(long bytes) => bytes / 1024.0 / 1024.0;

static void Report(string label, Measurement result, long baselinePeak)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{label,-46} {result.PerSecond,7:0.0} /s   median {result.MedianMs,6:0.00} ms per call   peak working set {Mebibytes(result.PeakWorkingSet),6:0.0} MiB (+{Mebibytes(result.PeakWorkingSet - baselinePeak):0.0})"));
}
