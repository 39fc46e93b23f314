using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Credentials.Hashing;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Tests.Credentials.Hashing;

public sealed class PasswordHasherTests
{
    // Argon2id's cost does not change what these tests check (format, encoding, comparison, bookkeeping), so most
    // use libsodium-legal small parameters; the round trip runs once on the defaults.
    private static readonly HashingOptions Cheap = new() { MemoryKiB = 1024, Iterations = 1 };

    private static PasswordHasher Hasher(HashingOptions? options = null) => new(Options.Create(options ?? Cheap));

    [Fact]
    public async Task A_password_round_trips_on_the_default_parameters()
    {
        using var hasher = Hasher(new HashingOptions());

        var hash = await hasher.HashAsync("correct horse battery staple", CancellationToken.None);

        Assert.StartsWith("{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync("correct horse battery staple", hash, CancellationToken.None));
    }

    [Fact]
    public async Task Two_hashes_of_one_password_differ_by_their_salt()
    {
        using var hasher = Hasher();

        var first = await hasher.HashAsync("same password", CancellationToken.None);
        var second = await hasher.HashAsync("same password", CancellationToken.None);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_wrong_password_does_not_verify()
    {
        using var hasher = Hasher();
        var hash = await hasher.HashAsync("correct horse battery staple", CancellationToken.None);

        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("correct horse battery stapler", hash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("Correct horse battery staple", hash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("", hash, CancellationToken.None));
    }

    [Theory]
    [InlineData("pässwörd Ωμέγα 日本語 🔑")]
    [InlineData("\u00e9t\u00e9")]
    [InlineData("")]
    public async Task A_unicode_or_empty_password_round_trips_as_its_utf8_bytes(string password)
    {
        using var hasher = Hasher();

        var hash = await hasher.HashAsync(password, CancellationToken.None);

        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync(password, hash, CancellationToken.None));

        // The decomposed form is a different byte string; normalising is the caller's job, and the hasher must not
        // quietly make the two equal.
        var decomposed = password.Normalize(NormalizationForm.FormD);
        if (decomposed != password)
        {
            Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(decomposed, hash, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_long_password_is_not_truncated()
    {
        using var hasher = Hasher();
        var password = string.Concat(Enumerable.Repeat("😀ab€", 200));
        Assert.Equal(1000, password.Length);
        var lastDiffers = password[..^1] + "X";

        var hash = await hasher.HashAsync(password, CancellationToken.None);

        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync(password, hash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(lastDiffers, hash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(password[..^2], hash, CancellationToken.None));
    }

    [Fact]
    public async Task A_password_over_16_KiB_is_refused_not_truncated()
    {
        using var hasher = Hasher();
        var tooLong = new string('a', PasswordHasher.MaxPasswordBytes + 1);
        var longest = new string('a', PasswordHasher.MaxPasswordBytes);

        await Assert.ThrowsAsync<ArgumentException>(() => hasher.HashAsync(tooLong, CancellationToken.None));
        var hash = await hasher.HashAsync(longest, CancellationToken.None);
        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync(longest, hash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync(tooLong, hash, CancellationToken.None));
    }

    [Fact]
    public async Task A_lone_surrogate_is_a_caller_error_not_a_replacement_character()
    {
        using var hasher = Hasher();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => hasher.HashAsync("abc\ud800", CancellationToken.None));
    }

    [Fact]
    public async Task An_argon2id_hash_with_weaker_parameters_verifies_but_asks_for_a_rehash()
    {
        using var weak = Hasher(new HashingOptions { MemoryKiB = 8192, Iterations = 1 });
        using var configured = Hasher(new HashingOptions());
        var weakHash = await weak.HashAsync("correct horse battery staple", CancellationToken.None);

        Assert.Equal(HashVerification.MatchNeedsRehash, await configured.VerifyAsync("correct horse battery staple", weakHash, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await configured.VerifyAsync("wrong", weakHash, CancellationToken.None));
    }

    [Fact]
    public async Task An_argon2id_hash_on_other_parameters_than_configured_asks_for_a_rehash_either_way()
    {
        using var stronger = Hasher(new HashingOptions { MemoryKiB = 2048, Iterations = 2 });
        using var configured = Hasher();
        var hash = await stronger.HashAsync("secret", CancellationToken.None);

        // libsodium's crypto_pwhash_str_needs_rehash: any difference from the configured m and t.
        Assert.Equal(HashVerification.MatchNeedsRehash, await configured.VerifyAsync("secret", hash, CancellationToken.None));
    }

    [Fact]
    public async Task A_bare_argon2id_string_without_the_scheme_prefix_verifies()
    {
        using var hasher = Hasher();
        var hash = await hasher.HashAsync("secret", CancellationToken.None);
        var bare = hash["{ARGON2ID}".Length..];

        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync("secret", bare, CancellationToken.None));
        Assert.Equal(HashVerification.Match, await hasher.VerifyAsync("secret", "{argon2id}" + bare, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("secre", bare, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("{PLAIN")]
    [InlineData("{}secret")]
    [InlineData("{ROT13}frperg")]
    [InlineData("{PLAIN.ROT13}secret")]
    [InlineData("{SHA512-CRYPT.HEX}$6$abc$def")]
    [InlineData("{ARGON2ID}")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=1$")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M\n")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M\0trailing")]
    [InlineData("{ARGON2ID}$argon2d$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M")]
    [InlineData("{SHA512-CRYPT}")]
    [InlineData("{SHA512-CRYPT}*0")]
    [InlineData("{SHA512-CRYPT}$6$")]
    [InlineData("{SHA512-CRYPT}$5$rounds=5000$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iA")]
    [InlineData("{SHA256-CRYPT}$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iA")]
    [InlineData("{BLF-CRYPT}$2y$05$tooshort")]
    [InlineData("{BLF-CRYPT}$6$rQVw6rw5r4nz68Ex$fQ0o9b106pEmQuBdh3nax0pHaY.CWOtBLoG00MJeU17J78tzaYOl6Css/EhxF0gbIQXG9r9KrEK.HGNn0Hu/T1")]
    [InlineData("{MD5-CRYPT}$1$")]
    [InlineData("{CRYPT}$y$j9T$salt$hash")]
    [InlineData("{SSHA512}not base64!")]
    [InlineData("{SSHA512}c2hvcnQ=")]
    [InlineData("{SSHA256.HEX}abc")]
    [InlineData("{SHA256}xLvLH77JnWW/WdhcjLYu4tuWPw/hBvSD2a+nO9Tjmo==")]
    [InlineData("{PLAIN.B64}%%%")]
    public async Task Corrupt_or_unknown_stored_data_is_a_mismatch_never_an_exception(string stored)
    {
        using var hasher = Hasher();

        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("secret", stored, CancellationToken.None));
    }

    [Theory]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=100000,p=1$c2FsdHNhbHQ$OGGnX1ZG2qcRkMxaRDCOSxvxYKF5XGWfcg6fBiGkB3M")]
    [InlineData("{SHA512-CRYPT}$6$rounds=999999999$saltsalt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iA")]
    [InlineData("{BLF-CRYPT}$2y$31$Q9CHXpBVSNzf5KSRcPQLE.XkkgYlWdNnUpcHqOLP7zb3yvyIqe2BC")]
    public async Task A_stored_hash_demanding_absurd_cost_is_refused_without_computing_it(string stored)
    {
        using var hasher = Hasher();
        var clock = Stopwatch.StartNew();

        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("secret", stored, CancellationToken.None));
        Assert.Equal(0, hasher.PeakConcurrentHashes);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("$2y$")]
    [InlineData("$2b$")]
    [InlineData("$2a$")]
    public async Task Every_bcrypt_prefix_is_verified_by_the_system_libxcrypt(string prefix)
    {
        using var hasher = Hasher();

        // Recorded with doveadm pw -s BLF-CRYPT (see dovecot-vectors.txt); for an ASCII password the three bcrypt
        // variants compute the same hash, so only the prefix differs.
        var stored = "{BLF-CRYPT}" + prefix + "05$Q9CHXpBVSNzf5KSRcPQLE.XkkgYlWdNnUpcHqOLP7zb3yvyIqe2BC";

        Assert.Equal(HashVerification.MatchNeedsRehash, await hasher.VerifyAsync("correct horse battery staple", stored, CancellationToken.None));
        Assert.Equal(HashVerification.MatchNeedsRehash, await hasher.VerifyAsync("correct horse battery staple", "{CRYPT}" + stored["{BLF-CRYPT}".Length..], CancellationToken.None));
    }

    [Fact]
    public async Task A_password_with_a_nul_does_not_match_a_crypt_hash_of_its_prefix()
    {
        using var hasher = Hasher();
        const string stored = "{SHA512-CRYPT}$6$rQVw6rw5r4nz68Ex$fQ0o9b106pEmQuBdh3nax0pHaY.CWOtBLoG00MJeU17J78tzaYOl6Css/EhxF0gbIQXG9r9KrEK.HGNn0Hu/T1";

        Assert.Equal(HashVerification.MatchNeedsRehash, await hasher.VerifyAsync("correct horse battery staple", stored, CancellationToken.None));
        Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("correct horse battery staple\0tail", stored, CancellationToken.None));
    }

    [Fact]
    public async Task Digest_schemes_accept_the_hex_and_base64_suffixes_and_any_case()
    {
        using var hasher = Hasher();
        var password = "pässwörd"u8.ToArray();
        var salt = RandomNumberGenerator.GetBytes(8);
        var digest = SHA256.HashData([.. password, .. salt]);
        byte[] digestAndSalt = [.. digest, .. salt];

        foreach (var stored in new[]
        {
            "{SSHA256}" + Convert.ToBase64String(digestAndSalt),
            "{ssha256.b64}" + Convert.ToBase64String(digestAndSalt),
            "{SSHA256.HEX}" + Convert.ToHexString(digestAndSalt),
            "{Ssha256.hex}" + Convert.ToHexStringLower(digestAndSalt),
            "{SHA256.HEX}" + Convert.ToHexString(SHA256.HashData(password)),
            "{SHA512}" + Convert.ToBase64String(SHA512.HashData(password)),
            "{PLAIN.B64}" + Convert.ToBase64String(password),
            "{CLEAR}pässwörd",
        })
        {
            Assert.Equal(HashVerification.MatchNeedsRehash, await hasher.VerifyAsync("pässwörd", stored, CancellationToken.None));
            Assert.Equal(HashVerification.Mismatch, await hasher.VerifyAsync("passwörd", stored, CancellationToken.None));
        }
    }

    [Fact]
    public async Task With_one_slot_no_two_hashes_run_at_once()
    {
        using var hasher = Hasher(Cheap with { MemoryKiB = 4096, MaxConcurrentHashes = 1 });
        var hash = await hasher.HashAsync("secret", CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? hasher.HashAsync("secret", CancellationToken.None)
            : (Task)hasher.VerifyAsync("secret", hash, CancellationToken.None)));
        await hasher.SimulateVerifyAsync("secret", CancellationToken.None);

        Assert.Equal(1, hasher.PeakConcurrentHashes);
    }

    [Fact]
    public async Task The_number_of_hashes_at_once_never_exceeds_the_configured_bound()
    {
        using var hasher = Hasher(Cheap with { MemoryKiB = 4096, MaxConcurrentHashes = 2 });

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => hasher.HashAsync("secret", CancellationToken.None)));

        Assert.InRange(hasher.PeakConcurrentHashes, 1, 2);
    }

    [Fact]
    public void By_default_as_many_hashes_run_at_once_as_there_are_processors_and_at_least_two()
    {
        using var hasher = Hasher(Cheap);

        Assert.Equal(Math.Max(2, Environment.ProcessorCount), hasher.MaxConcurrentHashes);
    }

    [Fact]
    public async Task A_caller_waiting_for_a_slot_can_give_up()
    {
        using var hasher = Hasher(Cheap with { MaxConcurrentHashes = 1 });
        using var release = new ManualResetEventSlim();
        var holding = hasher.RunInSlotAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        using var giveUp = new CancellationTokenSource();

        var waiting = hasher.HashAsync("second", giveUp.Token);
        Assert.False(waiting.IsCompleted);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(holding.IsCompleted);
        release.Set();
        await holding;
        Assert.Equal(1, hasher.PeakConcurrentHashes);
        Assert.StartsWith("{ARGON2ID}", await hasher.HashAsync("after", CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulating_a_verification_costs_about_as_much_as_a_real_one()
    {
        // Enough work that scheduling noise on a shared machine is small beside it.
        using var hasher = Hasher(new HashingOptions { MemoryKiB = 16384, Iterations = 3, MaxConcurrentHashes = 1 });
        var hash = await hasher.HashAsync("secret", CancellationToken.None);
        await hasher.SimulateVerifyAsync("warm up: makes the decoy hash", CancellationToken.None);

        var real = new List<TimeSpan>();
        var simulated = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            await hasher.VerifyAsync("wrong password", hash, CancellationToken.None);
            real.Add(clock.Elapsed);
            clock.Restart();
            await hasher.SimulateVerifyAsync("wrong password", CancellationToken.None);
            simulated.Add(clock.Elapsed);
        }

        var ratio = Median(simulated) / Median(real);
        Assert.InRange(ratio, 0.5, 2.0);
    }

    [Fact]
    public void Parameters_libsodium_cannot_use_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hasher(new HashingOptions { MemoryKiB = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hasher(new HashingOptions { Iterations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hasher(new HashingOptions { MaxConcurrentHashes = -1 }));
    }

    [Fact]
    public async Task A_disposed_hasher_refuses_work()
    {
        var hasher = Hasher();
        hasher.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => hasher.HashAsync("secret", CancellationToken.None));
    }

    private static double Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2).TotalMilliseconds;
}
