using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Core.Tests.Sessions;

public sealed class ConnectionRegistryTests : IDisposable
{
    private static readonly CredentialOwner Alice = new(CredentialOwnerKind.Mailbox, "alice@example.test");
    private static readonly CredentialOwner Bob = new(CredentialOwnerKind.Mailbox, "bob@example.test");

    private readonly RevocationHub _hub = new(NullLogger<RevocationHub>.Instance);
    private readonly ConnectionRegistry _registry;

    public ConnectionRegistryTests()
    {
        _registry = new ConnectionRegistry(_hub, new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_password_change_ends_the_connections_of_that_mailbox_only_and_says_why()
    {
        var ended = new List<string>();
        using var imap = _registry.Register(Alice, 1, Surface.Imap, IPAddress.Loopback, reason => ended.Add("imap: " + reason));
        using var pop = _registry.Register(Alice, 1, Surface.Pop3, IPAddress.Loopback, reason => ended.Add("pop3: " + reason));
        using var bobs = _registry.Register(Bob, 1, Surface.Imap, IPAddress.Loopback, reason => ended.Add("bob: " + reason));

        _hub.Publish(new Revocation(Alice, 2, RevocationReason.PasswordChanged));

        Assert.Equal(
            [$"imap: {ConnectionRegistry.PasswordChangedReason}", $"pop3: {ConnectionRegistry.PasswordChangedReason}"],
            ended.Order());
    }

    [Fact]
    public void A_connection_signed_in_under_the_new_password_survives_the_revocation_of_the_old_one()
    {
        var ended = 0;
        using var fresh = _registry.Register(Alice, 2, Surface.Imap, null, _ => ended++);

        _hub.Publish(new Revocation(Alice, 2, RevocationReason.PasswordChanged));

        Assert.Equal(0, ended);
    }

    [Fact]
    public void A_connection_that_signs_in_with_the_old_password_just_after_the_change_is_ended_at_once()
    {
        _hub.Publish(new Revocation(Alice, 3, RevocationReason.PasswordChanged));
        string? reason = null;

        using var late = _registry.Register(Alice, 2, Surface.Smtp, null, r => reason = r);

        Assert.Equal(ConnectionRegistry.PasswordChangedReason, reason);
    }

    [Fact]
    public void Ending_all_sessions_ends_every_connection_whatever_its_epoch()
    {
        var ended = 0;
        using var one = _registry.Register(Alice, 5, Surface.Imap, null, _ => ended++);
        using var two = _registry.Register(Alice, 5, Surface.Pop3, null, _ => ended++);

        _hub.Publish(new Revocation(Alice, 5, RevocationReason.SessionsEnded));

        Assert.Equal(2, ended);
    }

    [Fact]
    public void The_list_shows_open_connections_with_the_client_name_and_forgets_closed_ones()
    {
        var imap = _registry.Register(Alice, 1, Surface.Imap, IPAddress.Parse("192.0.2.7"), _ => { });
        using var pop = _registry.Register(Alice, 1, Surface.Pop3, IPAddress.Parse("192.0.2.8"), _ => { });
        imap.SetClientName("Thunderbird 128.4");

        var listed = _registry.List(Alice);
        Assert.Equal([(Surface.Imap, "192.0.2.7", "Thunderbird 128.4"), (Surface.Pop3, "192.0.2.8", null)], listed.Select(c => (c.Protocol, c.ClientAddress, c.ClientName)));

        imap.Dispose();
        Assert.Equal([Surface.Pop3], _registry.List(Alice).Select(c => c.Protocol));
    }

    [Fact]
    public void One_connection_can_be_ended_by_its_owner_but_not_by_someone_else()
    {
        var ended = new List<string>();
        using var imap = _registry.Register(Alice, 1, Surface.Imap, null, ended.Add);

        Assert.False(_registry.End(Bob, imap.Id));
        Assert.Empty(ended);
        Assert.True(_registry.End(Alice, imap.Id));
        Assert.Equal([ConnectionRegistry.EndedReason], ended);
    }

    public void Dispose() => _registry.Dispose();
}
