using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Credentials;

/// <summary>Configuration section <c>Mailstead:Throttle</c>.</summary>
public sealed record ThrottleOptions
{
    public const string Section = "Mailstead:Throttle";

    /// <summary>Failures of one login from one network that cost nothing extra.</summary>
    public int FreeFailures { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Failures of one login from one network before that pair is blocked for <see cref="BlockDuration"/>.</summary>
    public int BlockAfter { get; init; } = 10;

    /// <summary>Failures from one network, over all logins, before the network is blocked (password spraying).</summary>
    public int NetworkBlockAfter { get; init; } = 50;

    /// <summary>Failures of one login over all networks before every untrusted network gets a delay (distributed guessing).</summary>
    public int AccountDelayAfter { get; init; } = 20;

    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A counter forgets its failures this long after the last one.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a network a login once succeeded from stays exempt from the login-wide delay.</summary>
    public TimeSpan TrustedNetworkLifetime { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>What the throttle allows for the next attempt: wait <see cref="Delay"/> first, or refuse until <see cref="RetryAfter"/>.</summary>
public readonly record struct ThrottleDecision(bool Blocked, TimeSpan Delay, TimeSpan RetryAfter)
{
    public static ThrottleDecision Allow(TimeSpan delay) => new(false, delay, TimeSpan.Zero);

    public static ThrottleDecision Block(TimeSpan retryAfter) => new(true, TimeSpan.Zero, retryAfter);
}

/// <summary>
/// Failed-login throttling shared by every surface and protocol (OWASP ASVS 5.0 §6.3.1, NIST SP 800-63B §5.2.2).
/// Counters are kept per login and client network (/24 for IPv4, /64 for IPv6), per network, and per login.
/// Only the first two ever block: a stranger elsewhere can slow guesses at an account but never lock its owner
/// out, and networks the owner has signed in from are exempt even from the slowing. Every block expires.
/// The login is counted as typed, so unknown and known addresses are throttled alike.
/// </summary>
public sealed class LoginThrottle
{
    private const int SweepThreshold = 100_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _trusted = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ThrottleOptions _options;

    public LoginThrottle(TimeProvider time, IOptions<ThrottleOptions> options)
    {
        _time = time;
        _options = options.Value;
    }

    public ThrottleDecision Check(string login, IPAddress? client)
    {
        var now = _time.GetUtcNow();
        var network = NetworkOf(client);
        var pair = Read(PairKey(login, network), now);
        var byNetwork = Read(NetworkKey(network), now);

        var blockedUntil = Max(pair.BlockedUntil, byNetwork.BlockedUntil);
        if (blockedUntil > now)
        {
            return ThrottleDecision.Block(blockedUntil - now);
        }

        var delay = DelayFor(pair.Failures);
        if (!IsTrusted(login, network, now))
        {
            var byLogin = Read(LoginKey(login), now);
            var loginExcess = byLogin.Failures - _options.AccountDelayAfter + _options.FreeFailures;
            if (byLogin.Failures >= _options.AccountDelayAfter && DelayFor(loginExcess) > delay)
            {
                delay = DelayFor(loginExcess);
            }
        }

        return ThrottleDecision.Allow(delay);
    }

    public void RecordFailure(string login, IPAddress? client)
    {
        var now = _time.GetUtcNow();
        var network = NetworkOf(client);
        Increment(PairKey(login, network), now, _options.BlockAfter);
        Increment(NetworkKey(network), now, _options.NetworkBlockAfter);
        Increment(LoginKey(login), now, blockAfter: null);
        SweepIfLarge(now);
    }

    public void RecordSuccess(string login, IPAddress? client)
    {
        var network = NetworkOf(client);
        _counters.TryRemove(PairKey(login, network), out _);
        _trusted[PairKey(login, network)] = _time.GetUtcNow() + _options.TrustedNetworkLifetime;
    }

    /// <summary>IPv4 /24 and IPv6 /64: one household or one hosting customer, whose addresses are cheap to rotate within it.</summary>
    public static string NetworkOf(IPAddress? client)
    {
        if (client is null)
        {
            return "local";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var bytes = client.GetAddressBytes();
        return client.AddressFamily == AddressFamily.InterNetwork
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24"
            : new IPAddress([.. bytes[..8], .. new byte[8]]) + "/64";
    }

    private TimeSpan DelayFor(int failures)
    {
        var excess = failures - _options.FreeFailures;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = _options.BaseDelay * Math.Pow(2, Math.Min(excess - 1, 20));
        return delay > _options.MaxDelay ? _options.MaxDelay : delay;
    }

    private bool IsTrusted(string login, string network, DateTimeOffset now) =>
        _trusted.TryGetValue(PairKey(login, network), out var until) && until > now;

    private Counter Read(string key, DateTimeOffset now) =>
        _counters.TryGetValue(key, out var counter) && !counter.IsForgotten(now, _options.Window) ? counter : Counter.Empty;

    private void Increment(string key, DateTimeOffset now, int? blockAfter)
    {
        _counters.AddOrUpdate(
            key,
            _ => Counter.Empty.Next(now, blockAfter, _options.BlockDuration),
            (_, old) => (old.IsForgotten(now, _options.Window) ? Counter.Empty : old).Next(now, blockAfter, _options.BlockDuration));
    }

    private void SweepIfLarge(DateTimeOffset now)
    {
        if (_counters.Count < SweepThreshold)
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            if (counter.IsForgotten(now, _options.Window))
            {
                _counters.TryRemove(key, out _);
            }
        }

        foreach (var (key, until) in _trusted)
        {
            if (until <= now)
            {
                _trusted.TryRemove(key, out _);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string PairKey(string login, string network) => "p|" + login.ToLowerInvariant() + "|" + network;

    private static string NetworkKey(string network) => "n|" + network;

    private static string LoginKey(string login) => "l|" + login.ToLowerInvariant();

    private sealed record Counter(int Failures, DateTimeOffset LastFailure, DateTimeOffset BlockedUntil)
    {
        public static readonly Counter Empty = new(0, DateTimeOffset.MinValue, DateTimeOffset.MinValue);

        public bool IsForgotten(DateTimeOffset now, TimeSpan window) => now - LastFailure > window && now >= BlockedUntil;

        public Counter Next(DateTimeOffset now, int? blockAfter, TimeSpan blockDuration)
        {
            var failures = Failures + 1;
            // Reaching the threshold blocks, and the count starts over, so the next block needs as many failures again.
            return blockAfter is { } limit && failures >= limit
                ? new Counter(0, now, now + blockDuration)
                : this with { Failures = failures, LastFailure = now };
        }
    }
}
