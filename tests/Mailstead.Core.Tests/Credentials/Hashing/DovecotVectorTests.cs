using System.Diagnostics;
using System.Security.Cryptography;
using Mailstead.Core.Credentials.Hashing;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Tests.Credentials.Hashing;

/// <summary>Hashes written by Dovecot itself: the recorded ones in dovecot-vectors.txt, and fresh ones from doveadm.</summary>
public sealed class DovecotVectorTests
{
    private static readonly string VectorFile = Path.Combine(AppContext.BaseDirectory, "Credentials", "Hashing", "dovecot-vectors.txt");

    private static readonly string[] LiveSchemes =
        [
            "SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "MD5-CRYPT", "CRYPT", "ARGON2ID", "ARGON2I",
            "SSHA512", "SSHA256", "SSHA512.HEX", "SHA512", "SHA256", "PLAIN", "CLEAR",
        ];

    public static TheoryData<string, string> RecordedVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(VectorFile))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            data.Add(line[..tab], line[(tab + 1)..]);
        }

        return data;
    }

    [Fact]
    public void The_recorded_vectors_cover_every_scheme_and_non_ascii_passwords()
    {
        var vectors = RecordedVectors().Select(row => ((string)row[0], (string)row[1])).ToList();

        foreach (var scheme in new[] { "SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "ARGON2ID", "SSHA512", "SSHA256", "PLAIN" })
        {
            Assert.Contains(vectors, v => v.Item2.StartsWith("{" + scheme + "}", StringComparison.Ordinal));
        }

        Assert.True(vectors.Count(v => !System.Text.Ascii.IsValid(v.Item1)) >= 2);
    }

    [Theory]
    [MemberData(nameof(RecordedVectors))]
    public async Task Every_recorded_dovecot_hash_verifies_and_asks_for_a_rehash(string password, string stored)
    {
        using var hasher = new PasswordHasher(Options.Create(new HashingOptions()));

        // Dovecot's ARGON2ID uses m=64 MiB, t=3, not ours, so it too is upgraded at the next login.
        Assert.Equal(HashVerification.MatchNeedsRehash, await hasher.VerifyAsync(password, stored, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(password + "x", stored, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("x" + password, stored, CancellationToken.None));
    }

    [Fact]
    public async Task Fresh_hashes_from_doveadm_verify_for_every_scheme()
    {
        var doveadm = FindOnPath("doveadm");
        if (doveadm is null)
        {
            Assert.Fail(
                "doveadm is not on PATH, so fresh Dovecot hashes cannot be made. Run the tests with ./scripts/test.sh, "
                + "which installs dovecot-core, or install it yourself: apt-get install --no-install-recommends dovecot-core.");
        }

        using var hasher = new PasswordHasher(Options.Create(new HashingOptions()));
        foreach (var scheme in LiveSchemes)
        {
            // Random printable password with non-ASCII letters, new on every run.
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)) + "-ßé漢";
            var stored = await RunDoveadmAsync(doveadm, scheme, password);

            Assert.StartsWith("{" + scheme + "}", stored, StringComparison.Ordinal);
            Assert.True(
                await hasher.VerifyAsync(password, stored, CancellationToken.None) == HashVerification.MatchNeedsRehash,
                $"doveadm pw -s {scheme} made {stored} for {password}, and it did not verify.");
            Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(password[..^1] + "X", stored, CancellationToken.None));
        }
    }

    private static async Task<string> RunDoveadmAsync(string doveadm, string scheme, string password)
    {
        var start = new ProcessStartInfo(doveadm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pw", "-s", scheme, "-p", password })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"doveadm pw -s {scheme} exited with {process.ExitCode}: {error}");
        return output.TrimEnd('\n');
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
