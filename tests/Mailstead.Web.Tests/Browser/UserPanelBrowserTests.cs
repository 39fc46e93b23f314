using System.Text.RegularExpressions;
using Mailstead.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Mailstead.Web.Tests.Browser;

/// <summary>The user panel in real Chromium against the real <c>mailstead serve</c>; mailboxes come from the CLI.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class UserPanelBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Password = "Tq8vLr2mZp9wXe";

    [Fact]
    public async Task A_user_changes_the_password_with_the_live_checklist_and_the_generator_and_the_old_password_stops_working()
    {
        const string test = nameof(A_user_changes_the_password_with_the_live_checklist_and_the_generator_and_the_old_password_stops_working);
        var address = await fixture.AddMailboxAsync(Password);
        var page = await fixture.NewPageAsync();

        await SignInAsync(page, address, Password, test);
        await Expect(page).ToHaveURLAsync(Ends("/account/password"));
        await ShotAsync(page, test, "password-page");

        await page.Locator("#CurrentPassword").FillAsync(Password);
        await page.Locator("#NewPassword").PressSequentiallyAsync("short");
        var checklist = page.Locator("ul[data-policy-checklist]");
        await Expect(checklist.Locator("li[data-state=unmet]").First).ToBeVisibleAsync();
        await ShotAsync(page, test, "weak-password");

        await page.Locator("[data-generate]").ClickAsync();
        await Expect(checklist.Locator("li[data-criterion]:not([data-state=met])")).ToHaveCountAsync(0);
        Assert.True(await checklist.Locator("li[data-criterion]").CountAsync() > 0);
        var generated = await page.Locator("#NewPassword").InputValueAsync();
        Assert.True(generated.Length >= 12, $"generated \"{generated}\"");
        Assert.Equal(generated, await page.Locator("#ConfirmPassword").InputValueAsync());
        Assert.Equal("text", await page.Locator("#NewPassword").GetAttributeAsync("type")); // the generator reveals what it chose
        await ShotAsync(page, test, "generated");

        await page.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your password was changed" })).ToBeVisibleAsync();
        Assert.DoesNotContain(generated, page.Url, StringComparison.Ordinal);
        await ShotAsync(page, test, "changed");

        var stranger = await fixture.NewPageAsync();
        await SignInAsync(stranger, address, Password, test, "old-password");
        await Expect(stranger.Locator("#signin-error")).ToBeVisibleAsync();
        await Expect(stranger).ToHaveURLAsync(Ends("/account/login"));
        await ShotAsync(stranger, test, "old-password-refused");
        await SignInAsync(stranger, address, generated, test, "new-password");
        await Expect(stranger).ToHaveURLAsync(Ends("/account/password"));
        await stranger.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_second_browser_that_was_signed_in_is_sent_to_the_sign_in_page_at_its_next_click_after_a_change()
    {
        const string test = nameof(A_second_browser_that_was_signed_in_is_sent_to_the_sign_in_page_at_its_next_click_after_a_change);
        var address = await fixture.AddMailboxAsync(Password);
        var laptop = await fixture.NewPageAsync();
        var phone = await fixture.NewPageAsync();
        await SignInAsync(laptop, address, Password, test, "laptop");
        await SignInAsync(phone, address, Password, test, "phone");
        await Expect(phone).ToHaveURLAsync(Ends("/account/password"));

        // Typed without the generator: this flow does not depend on the design system's script.
        await laptop.Locator("#CurrentPassword").FillAsync(Password);
        await laptop.Locator("#NewPassword").FillAsync("hollow-Quartz-Lantern-73");
        await laptop.Locator("#ConfirmPassword").FillAsync("hollow-Quartz-Lantern-73");
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        await Expect(laptop.GetByText("Your password was changed")).ToBeVisibleAsync();
        await ShotAsync(laptop, test, "laptop-changed");

        await phone.GetByRole(AriaRole.Link, new() { Name = "Password" }).First.ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex("/account/login\\?expired=1$"));
        await Expect(phone.GetByText("Please sign in to continue.")).ToBeVisibleAsync();
        await ShotAsync(phone, test, "phone-signed-out");

        await laptop.ReloadAsync();
        await Expect(laptop).ToHaveURLAsync(Ends("/account/password?changed=true"));
        await laptop.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task A_password_set_with_must_change_on_the_cli_forces_the_password_page_first()
    {
        const string test = nameof(A_password_set_with_must_change_on_the_cli_forces_the_password_page_first);
        var address = await fixture.AddMailboxAsync(Password);
        const string temporary = "Temporary-Harbor-Pass-58";
        await fixture.CliAsync($"mailbox passwd {address} --password-stdin --must-change", temporary + "\n");
        var page = await fixture.NewPageAsync();

        await SignInAsync(page, address, temporary, test);

        await Expect(page).ToHaveURLAsync(Ends("/account/password"));
        await Expect(page.GetByText("Choose a new password before you continue.")).ToBeVisibleAsync();
        await Expect(page.Locator("nav.app-nav")).ToHaveCountAsync(0);
        await ShotAsync(page, test, "forced-password-page");
        await page.GotoAsync("/account");
        await Expect(page).ToHaveURLAsync(Ends("/account/password"));

        await page.Locator("#CurrentPassword").FillAsync(temporary);
        await page.Locator("#NewPassword").FillAsync("hollow-Quartz-Lantern-73");
        await page.Locator("#ConfirmPassword").FillAsync("hollow-Quartz-Lantern-73");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Your password was changed")).ToBeVisibleAsync();
        await Expect(page.GetByText("Choose a new password before you continue.")).ToHaveCountAsync(0);
        await ShotAsync(page, test, "changed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Over_https_the_browser_holds_a_host_prefixed_secure_strict_session_cookie_and_no_page_breaks_the_csp()
    {
        const string test = nameof(Over_https_the_browser_holds_a_host_prefixed_secure_strict_session_cookie_and_no_page_breaks_the_csp);
        var address = await fixture.AddMailboxAsync(Password);
        var page = await fixture.NewPageAsync(https: true);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        await SignInAsync(page, address, Password, test);
        await Expect(page).ToHaveURLAsync(Ends("/account/password"));
        foreach (var path in new[] { "/account/sessions", "/account/security", "/account/password" })
        {
            await page.GotoAsync(path);
            await ShotAsync(page, test, path.Replace('/', '-'));
        }

        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name.EndsWith("mailstead-account", StringComparison.Ordinal));
        Assert.Equal("__Host-mailstead-account", session.Name);
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/", session.Path);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sessions_page_shows_a_connected_mail_program_by_name_and_end_disconnects_it()
    {
        const string test = nameof(The_sessions_page_shows_a_connected_mail_program_by_name_and_end_disconnects_it);
        var address = await fixture.AddMailboxAsync(Password);
        using var thunderbird = ExternalClient.StartPython(
            """
            import imaplib, ssl, sys
            tls = ssl.create_default_context(); tls.check_hostname = False; tls.verify_mode = ssl.CERT_NONE
            c = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=tls)
            c.login(sys.argv[2], sys.argv[3])
            c.xatom('ID', '("name" "Thunderbird" "version" "128.4.0")')
            c.select('INBOX')
            print('connected', flush=True)
            c.sock.settimeout(60)
            print('told', c.readline().decode().strip(), flush=True)
            print('closed', c.readline() == b'', flush=True)
            """,
            fixture.Server.MailPorts["Imaps"].ToString(System.Globalization.CultureInfo.InvariantCulture), address, Password);
        await thunderbird.WaitForOutputAsync("connected", TimeSpan.FromSeconds(30));
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, address, Password, test);

        await page.GotoAsync("/account/sessions");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Thunderbird 128.4.0" });
        await Expect(row).ToContainTextAsync("IMAP");
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await ShotAsync(page, test, "mail-program-listed");

        await row.GetByRole(AriaRole.Button, new() { Name = "End" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The connection was closed.");
        await Expect(page.GetByText("No mail program is connected right now.")).ToBeVisibleAsync();
        await ShotAsync(page, test, "mail-program-ended");
        Assert.Equal(0, await thunderbird.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("told * BYE This session was ended from the account settings.", thunderbird.Output, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_user_sets_a_recovery_address_from_the_nav_and_a_wrong_password_is_shown_beside_its_field()
    {
        const string test = nameof(A_user_sets_a_recovery_address_from_the_nav_and_a_wrong_password_is_shown_beside_its_field);
        var address = await fixture.AddMailboxAsync(Password);
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, address, Password, test);

        await page.GetByRole(AriaRole.Link, new() { Name = "Recovery address" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Ends("/account/recovery"));
        await ShotAsync(page, test, "recovery-page");
        await page.GetByLabel("Recovery address").FillAsync("me@elsewhere.example");
        await page.GetByLabel("Current password").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("#CurrentPassword-error")).ToHaveTextAsync("The current password is not correct.");
        await Expect(page.GetByLabel("Recovery address")).ToHaveValueAsync("me@elsewhere.example");
        await ShotAsync(page, test, "wrong-password");

        await page.GetByLabel("Current password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your recovery address is now me@elsewhere.example.");
        await Expect(page.Locator("#saved-recovery-address")).ToHaveTextAsync("me@elsewhere.example");
        await ShotAsync(page, test, "saved");

        await page.GetByRole(AriaRole.Link, new() { Name = "Security log" }).ClickAsync();
        await Expect(page.GetByText("Recovery address set to me@elsewhere.example by you")).ToBeVisibleAsync();
        await Expect(page.GetByText("Recovery address change refused: wrong current password")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private async Task SignInAsync(IPage page, string address, string password, string test, string who = "user")
    {
        await page.GotoAsync("/account/login");
        await ShotAsync(page, test, $"{who}-sign-in");
        await BrowserFixture.SubmitSignInAsync(page, address, password);
    }

    private async Task ShotAsync(IPage page, string test, string step) =>
        output.WriteLine($"screenshot: {await BrowserFixture.ScreenshotAsync(page, test, step)}");

    private static Regex Ends(string pathAndQuery) => new(Regex.Escape(pathAndQuery) + "$");

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
