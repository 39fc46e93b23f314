using Mailstead.Core.Credentials;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Core.Tests.Credentials;

public sealed class VerifiedCredentialCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_remembered_password_matches_for_the_same_hash_and_epoch()
    {
        var cache = new VerifiedCredentialCache(_time);
        cache.Remember("alice@example.test", "secret one", "{ARGON2ID}hash", 3);

        Assert.True(cache.Matches("alice@example.test", "secret one", "{ARGON2ID}hash", 3));
        Assert.False(cache.Matches("alice@example.test", "secret two", "{ARGON2ID}hash", 3));
    }

    [Fact]
    public void A_password_change_invalidates_the_entry_at_once()
    {
        var cache = new VerifiedCredentialCache(_time);
        cache.Remember("alice@example.test", "secret one", "{ARGON2ID}hash", 3);

        Assert.False(cache.Matches("alice@example.test", "secret one", "{ARGON2ID}hash", 4));
        Assert.False(cache.Matches("alice@example.test", "secret one", "{ARGON2ID}other", 3));
    }

    [Fact]
    public void An_entry_expires()
    {
        var cache = new VerifiedCredentialCache(_time);
        cache.Remember("alice@example.test", "secret one", "{ARGON2ID}hash", 3);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(cache.Matches("alice@example.test", "secret one", "{ARGON2ID}hash", 3));
    }
}
