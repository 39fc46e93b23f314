using System.Net;
using Mailstead.Core.Credentials;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Core.Tests.Credentials;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Owner = IPAddress.Parse("198.51.100.20");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly ThrottleOptions _options = new();

    private LoginThrottle CreateThrottle() => new(_time, Options.Create(_options));

    private static void Fail(LoginThrottle throttle, string login, IPAddress client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(login, client);
        }
    }

    [Fact]
    public void The_first_failures_cost_no_delay()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.FreeFailures);

        Assert.Equal(ThrottleDecision.Allow(TimeSpan.Zero), throttle.Check("alice@example.test", Attacker));
    }

    [Fact]
    public void Delays_grow_with_each_further_failure_up_to_the_maximum()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.FreeFailures);

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure("alice@example.test", Attacker);
            delays.Add(throttle.Check("alice@example.test", Attacker).Delay);
        }

        Assert.Equal([1, 2, 4, 8, 15], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Enough_failures_block_the_login_from_that_network_for_a_while_and_the_block_ends()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.BlockAfter);

        var decision = throttle.Check("alice@example.test", Attacker);
        Assert.True(decision.Blocked);
        Assert.Equal(_options.BlockDuration, decision.RetryAfter);

        _time.Advance(_options.BlockDuration);
        Assert.False(throttle.Check("alice@example.test", Attacker).Blocked);
    }

    [Fact]
    public void A_neighbour_in_the_same_slash_24_shares_the_block()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.BlockAfter);

        Assert.True(throttle.Check("alice@example.test", IPAddress.Parse("203.0.113.200")).Blocked);
    }

    [Fact]
    public void Ipv6_addresses_in_the_same_slash_64_are_one_network()
    {
        Assert.Equal(
            LoginThrottle.NetworkOf(IPAddress.Parse("2001:db8:1:2:aaaa::1")),
            LoginThrottle.NetworkOf(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        Assert.NotEqual(
            LoginThrottle.NetworkOf(IPAddress.Parse("2001:db8:1:2::1")),
            LoginThrottle.NetworkOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.0/24", LoginThrottle.NetworkOf(IPAddress.Parse("::ffff:192.0.2.99")));
    }

    [Fact]
    public void A_stranger_cannot_lock_the_owner_out()
    {
        var throttle = CreateThrottle();
        throttle.RecordSuccess("alice@example.test", Owner);

        // A botnet hammers the account from many networks.
        for (var net = 0; net < 50; net++)
        {
            Fail(throttle, "alice@example.test", IPAddress.Parse($"10.{net}.0.1"), _options.BlockAfter);
        }

        Assert.Equal(ThrottleDecision.Allow(TimeSpan.Zero), throttle.Check("alice@example.test", Owner));
    }

    [Fact]
    public void Distributed_guessing_slows_down_unfamiliar_networks_without_blocking_them()
    {
        var throttle = CreateThrottle();
        for (var net = 0; net < _options.AccountDelayAfter + 2; net++)
        {
            throttle.RecordFailure("alice@example.test", IPAddress.Parse($"10.{net}.0.1"));
        }

        var decision = throttle.Check("alice@example.test", IPAddress.Parse("10.200.0.1"));
        Assert.False(decision.Blocked);
        Assert.True(decision.Delay > TimeSpan.Zero);
    }

    [Fact]
    public void Password_spraying_from_one_network_blocks_that_network_for_every_login()
    {
        var throttle = CreateThrottle();
        for (var i = 0; i < _options.NetworkBlockAfter; i++)
        {
            throttle.RecordFailure($"user{i}@example.test", Attacker);
        }

        Assert.True(throttle.Check("someone-else@example.test", Attacker).Blocked);
        Assert.False(throttle.Check("someone-else@example.test", Owner).Blocked);
    }

    [Fact]
    public void Failures_are_forgotten_after_the_window()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.FreeFailures + 2);
        Assert.True(throttle.Check("alice@example.test", Attacker).Delay > TimeSpan.Zero);

        _time.Advance(_options.Window + TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, throttle.Check("alice@example.test", Attacker).Delay);
    }

    [Fact]
    public void A_success_clears_the_failures_of_that_login_and_network()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Owner, _options.FreeFailures + 2);

        throttle.RecordSuccess("alice@example.test", Owner);

        Assert.Equal(TimeSpan.Zero, throttle.Check("alice@example.test", Owner).Delay);
    }

    [Fact]
    public void Logins_are_counted_case_insensitively_so_case_tricks_do_not_reset_the_count()
    {
        var throttle = CreateThrottle();
        Fail(throttle, "alice@example.test", Attacker, _options.BlockAfter);

        Assert.True(throttle.Check("ALICE@Example.Test", Attacker).Blocked);
    }
}
