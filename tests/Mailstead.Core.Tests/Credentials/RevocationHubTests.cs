using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailstead.Core.Tests.Credentials;

public sealed class RevocationHubTests
{
    private static readonly Revocation AliceChanged =
        new(new CredentialOwner(CredentialOwnerKind.Mailbox, "alice@example.test"), 2, RevocationReason.PasswordChanged);

    [Fact]
    public void Every_subscriber_hears_a_revocation_even_when_another_one_fails()
    {
        var hub = new RevocationHub(NullLogger<RevocationHub>.Instance);
        var heard = new List<Revocation>();
        using var broken = hub.Subscribe(_ => throw new InvalidOperationException("broken"));
        using var listening = hub.Subscribe(heard.Add);

        hub.Publish(AliceChanged);

        Assert.Equal([AliceChanged], heard);
    }

    [Fact]
    public void A_disposed_subscription_hears_nothing_more()
    {
        var hub = new RevocationHub(NullLogger<RevocationHub>.Instance);
        var heard = new List<Revocation>();
        var subscription = hub.Subscribe(heard.Add);

        subscription.Dispose();
        hub.Publish(AliceChanged);

        Assert.Empty(heard);
    }
}
