using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Web.Tests.InProcess;

/// <summary>The user panel's Sessions page shows the mail programs connected now, and ends them.</summary>
public sealed class MailConnectionsPageTests : IAsyncLifetime
{
    private const string Password = "Tq8vLr2mZp9wXe";
    private const string NewPassword = "hollow-Quartz-Lantern-73";

    private WebHost _host = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _host = await WebHost.StartAsync();
        _alice = await _host.AddMailboxAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ConnectionRegistry Registry => _host.Services.GetRequiredService<ConnectionRegistry>();

    [Fact]
    public async Task The_sessions_page_lists_a_connected_mail_program_and_end_closes_it()
    {
        string? ended = null;
        using var imap = Registry.Register(new CredentialOwner(CredentialOwnerKind.Mailbox, _alice), 1, Surface.Imap, IPAddress.Parse("192.0.2.7"), reason => ended = reason);
        imap.SetClientName("Thunderbird 128.4");
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var page = await browser.GetAsync("/account/sessions");
        Assert.Contains("Mail programs connected now", page.Body, StringComparison.Ordinal);
        Assert.Contains("Thunderbird 128.4", page.Body, StringComparison.Ordinal);
        Assert.Contains("192.0.2.7", page.Body, StringComparison.Ordinal);

        var end = await browser.SubmitAsync($"/account/sessions?handler=EndConnection&id={imap.Id}");
        Assert.Equal("/account/sessions?ended=connection", end.Location);
        Assert.Equal(ConnectionRegistry.EndedReason, ended);
    }

    [Fact]
    public async Task Another_mailbox_cannot_end_a_connection_it_does_not_own()
    {
        var bob = await _host.AddMailboxAsync("bob", Password);
        string? ended = null;
        using var alicesImap = Registry.Register(new CredentialOwner(CredentialOwnerKind.Mailbox, _alice), 1, Surface.Imap, null, reason => ended = reason);
        using var browser = _host.Client();
        await browser.SignInAsync(bob, Password);

        var page = await browser.GetAsync("/account/sessions");
        Assert.Contains("No mail program is connected right now.", page.Body, StringComparison.Ordinal);
        var end = await browser.SubmitAsync($"/account/sessions?handler=EndConnection&id={alicesImap.Id}");

        Assert.Equal("/account/sessions?ended=gone", end.Location);
        Assert.Null(ended);
    }

    [Fact]
    public async Task A_password_change_in_the_user_panel_closes_the_mailbox_s_mail_connections()
    {
        var credentials = await _host.Services.GetRequiredService<IAccountStore>().FindMailboxAsync(_alice, CancellationToken.None);
        string? ended = null;
        using var imap = Registry.Register(new CredentialOwner(CredentialOwnerKind.Mailbox, _alice), credentials!.Credential.Epoch, Surface.Imap, null, reason => ended = reason);
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        await browser.ChangePasswordAsync(Password, NewPassword);

        Assert.Equal(ConnectionRegistry.PasswordChangedReason, ended);
    }
}
