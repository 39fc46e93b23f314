using System.Net;
using Mailstead.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Web.Tests.InProcess;

/// <summary>The recovery address in the user panel (with the current password) and in the admin panel's mailbox edit page (without).</summary>
public sealed class RecoveryAddressPageTests : IAsyncLifetime
{
    private const string Password = "Tq8vLr2mZp9wXe";
    private const string RootPassword = "granite-Orchard-Sparrow-41";

    private WebHost _host = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _host = await WebHost.StartAsync();
        _alice = await _host.AddMailboxAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string?> RecoveryAddressAsync() =>
        (await _host.Services.GetRequiredService<IAccountStore>().FindMailboxAsync(_alice, CancellationToken.None))?.RecoveryAddress;

    private static string FieldError(Page page, string field) =>
        System.Text.RegularExpressions.Regex.Match(page.Body, $"""<span class="field-error" id="{field}-error">([^<]*)</span>""").Groups[1].Value;

    [Fact]
    public async Task The_user_panel_saves_a_recovery_address_with_the_current_password_and_shows_it()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var form = await browser.GetAsync("/account/recovery");
        var saved = await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", "Alice@Home.Example"), ("CurrentPassword", Password));
        var shown = await browser.GetAsync(saved.Location!);

        Assert.Contains("""<a href="/account/recovery" aria-current="page">""", form.Body, StringComparison.Ordinal);
        Assert.Contains("""<strong id="saved-recovery-address">none</strong>""", form.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("/account/recovery?done=saved", saved.Location);
        Assert.Equal("alice@home.example", await RecoveryAddressAsync());
        Assert.Contains("Your recovery address is now alice@home.example.", shown.Body, StringComparison.Ordinal);
        Assert.Contains("""value="alice@home.example" """, shown.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, browser.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_webmail_s_my_account_has_a_recovery_address_tab_with_the_same_form_and_checks()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password, "mail");

        var account = await browser.GetAsync("/mail/account");
        var refused = await browser.SubmitAsync("/mail/account/recovery", ("RecoveryAddress", "mallory@evil.example"), ("CurrentPassword", "a guess at it"));
        var saved = await browser.SubmitAsync("/mail/account/recovery", ("RecoveryAddress", "alice@home.example"), ("CurrentPassword", Password));
        var shown = await browser.GetAsync(saved.Location!);

        Assert.Contains("""<a class="tab" href="/mail/account/recovery">Recovery address</a>""", account.Body, StringComparison.Ordinal);
        Assert.Equal("The current password is not correct.", FieldError(refused, "CurrentPassword"));
        Assert.Equal("/mail/account/recovery?done=saved", saved.Location);
        Assert.Equal("alice@home.example", await RecoveryAddressAsync());
        Assert.Contains("""<a class="tab" href="/mail/account/recovery" aria-current="page">Recovery address</a>""", shown.Body, StringComparison.Ordinal);
        Assert.Contains("Your recovery address is now alice@home.example.", shown.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_beside_the_field_keeping_the_address_typed_and_changing_nothing()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var refused = await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", "mallory@evil.example"), ("CurrentPassword", "a guess at it"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("The current password is not correct.", FieldError(refused, "CurrentPassword"));
        Assert.Equal("", FieldError(refused, "RecoveryAddress"));
        Assert.Contains("""value="mallory@evil.example" """, refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("a guess at it", refused.Body, StringComparison.Ordinal);
        Assert.Null(await RecoveryAddressAsync());
    }

    [Fact]
    public async Task An_address_that_is_not_one_or_is_the_mailbox_itself_is_refused_beside_the_field()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var malformed = await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", "alice at home"), ("CurrentPassword", Password));
        var itself = await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", _alice.ToUpperInvariant()), ("CurrentPassword", Password));

        Assert.Contains("is not an email address", FieldError(malformed, "RecoveryAddress"), StringComparison.Ordinal);
        Assert.Contains("another address than the mailbox&#x27;s own", FieldError(itself, "RecoveryAddress"), StringComparison.Ordinal);
        Assert.Equal("", FieldError(malformed, "CurrentPassword"));
        Assert.Null(await RecoveryAddressAsync());
    }

    [Fact]
    public async Task An_empty_field_with_the_password_removes_the_recovery_address()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", "alice@home.example"), ("CurrentPassword", Password));

        var removed = await browser.SubmitAsync("/account/recovery", ("RecoveryAddress", ""), ("CurrentPassword", Password));

        Assert.Equal("/account/recovery?done=removed", removed.Location);
        Assert.Null(await RecoveryAddressAsync());
    }

    [Fact]
    public async Task A_recovery_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var post = await browser.PostFormAsync("/account/recovery", [new("RecoveryAddress", "mallory@evil.example"), new("CurrentPassword", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Null(await RecoveryAddressAsync());
    }

    [Fact]
    public async Task An_operator_sets_the_recovery_address_on_the_mailbox_edit_page_without_a_password_and_a_bad_one_is_refused_beside_the_field()
    {
        await _host.AddOperatorAsync("root@example.test", RootPassword);
        using var admin = _host.Client();
        await admin.SignInAsync("root@example.test", RootPassword, "admin");
        var edit = await admin.GetAsync("/admin/mailboxes/edit?address=" + Uri.EscapeDataString(_alice));
        var token = edit.AntiforgeryToken!;
        KeyValuePair<string, string>[] Fields(string recovery) =>
            [new("Address", _alice), new("RecoveryAddress", recovery), new("__RequestVerificationToken", token)];

        var refused = await admin.PostFormAsync("/admin/mailboxes/edit?handler=Recovery", Fields("not an address"));
        var saved = await admin.PostFormAsync("/admin/mailboxes/edit?handler=Recovery", Fields("alice@home.example"));
        var list = await admin.GetAsync(saved.Location!);

        Assert.Contains("""action="/admin/mailboxes/edit?handler=Recovery" """, edit.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("is not an email address", FieldError(refused, "recovery-RecoveryAddress"), StringComparison.Ordinal);
        Assert.Contains("""value="not an address" """, refused.Body, StringComparison.Ordinal);
        Assert.Equal("/admin?done=recovery&mailbox=alice%40example.test", saved.Location);
        Assert.Contains("The recovery address of alice@example.test was saved.", list.Body, StringComparison.Ordinal);
        Assert.Equal("alice@home.example", await RecoveryAddressAsync());
        // The pop-up is filled with the row's recovery address when it opens.
        Assert.Contains("&quot;#recovery-RecoveryAddress&quot;:&quot;alice@home.example&quot;", list.Body, StringComparison.Ordinal);
    }
}
