using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Mailstead.Web.Tests.Browser;

/// <summary>
/// The admin panel in real Chromium against the real <c>mailstead serve</c>. Operators, domains and mailboxes come
/// from the CLI, as a host's console would create them; each test uses domains of its own, so the shared server's
/// other tests cannot change what a test sees.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class AdminPanelBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Password = "Tq8vLr2mZp9wXe";
    private const int Desktop = 1280;
    private const int Phone = 390;

    [Fact]
    public async Task A_platform_admin_changes_the_generated_password_then_resets_a_mailbox_through_the_pencil_pop_up()
    {
        const string test = nameof(A_platform_admin_changes_the_generated_password_then_resets_a_mailbox_through_the_pencil_pop_up);
        await fixture.CliAsync("domain add contoso.test");
        const string alice = "alice@contoso.test";
        await fixture.CliAsync($"mailbox add {alice} --password-stdin", Password + "\n");
        await fixture.CliAsync("mailbox add bob@contoso.test --password-stdin", Password + "\n");
        // Without --password-stdin the CLI generates a one-time password, prints it once and flags it must-change.
        var created = await fixture.CliAsync("operator add root@ops.test --role platform");
        var oneTime = GeneratedPassword().Match(created);
        Assert.True(oneTime.Success, created);
        var admin = await fixture.NewPageAsync(width: Desktop);

        await AdminSignInAsync(admin, "root@ops.test", oneTime.Groups[1].Value, test);
        await Expect(admin).ToHaveURLAsync(Ends("/admin/password"));
        await Expect(admin.GetByText("Choose a new password before you continue.")).ToBeVisibleAsync();
        await Expect(admin.Locator("nav.app-nav")).ToHaveCountAsync(0);
        await ShotAsync(admin, test, "forced-password-page");
        await admin.GotoAsync("/admin");
        await Expect(admin).ToHaveURLAsync(Ends("/admin/password"));
        await admin.Locator("#CurrentPassword").FillAsync(oneTime.Groups[1].Value);
        await admin.Locator("#NewPassword").FillAsync("hollow-Quartz-Lantern-73");
        await admin.Locator("#ConfirmPassword").FillAsync("hollow-Quartz-Lantern-73");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        await Expect(admin.GetByText("Your password was changed")).ToBeVisibleAsync();
        await Expect(admin.Locator("nav.app-nav")).ToBeVisibleAsync();

        await admin.GetByRole(AriaRole.Link, new() { Name = "Email", Exact = true }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(Ends("/admin"));
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Email", Level = 1 })).ToBeVisibleAsync();
        // By id: the hidden New mailbox pop-up has a Domain field of its own.
        await admin.Locator("#q").FillAsync("alice");
        await admin.Locator("#domain").SelectOptionAsync("contoso.test");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin\\?q=alice&domain=contoso\\.test$"));
        var rows = admin.Locator("#mailboxes tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-mailbox", alice);
        await ShotAsync(admin, test, "email-tab-search");

        await admin.GetByRole(AriaRole.Link, new() { Name = $"Edit {alice}: set a new password" }).ClickAsync();
        var dialog = admin.Locator("dialog#reset-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin\\?q=alice&domain=contoso\\.test$")); // a pop-up, not the fallback page
        await Expect(dialog.GetByLabel("Mailbox")).ToHaveValueAsync(alice);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Generate a strong password" }).ClickAsync();
        var checklist = dialog.Locator("ul[data-policy-checklist]");
        Assert.True(await checklist.Locator("li[data-criterion]").CountAsync() > 0);
        // Every criterion ticks except "not your current password": the operator does not know it, and the live check
        // must not become a way to test guesses against it, so only Save compares with the stored hash.
        await ExpectAllMetAsync(checklist, except: "not-current");
        await Expect(checklist.Locator("li[data-criterion=not-current]")).ToHaveAttributeAsync("data-state", "pending");
        var field = dialog.GetByLabel("New password");
        Assert.Equal("text", await field.GetAttributeAsync("type")); // the generator reveals what it chose
        var chosen = await field.InputValueAsync();
        Assert.True(chosen.Length >= 12, $"generated \"{chosen}\"");
        await dialog.GetByLabel("Require a change at next sign-in").CheckAsync();
        await ShotAsync(admin, test, "pop-up-open");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(admin.Locator("#confirmation")).ToContainTextAsync($"The password of {alice} was changed and must be changed again at the next sign-in.");
        await Expect(admin.Locator($"tr[data-mailbox=\"{alice}\"]")).ToContainTextAsync("Must change password");
        Assert.DoesNotContain(chosen, admin.Url, StringComparison.Ordinal);
        await ShotAsync(admin, test, "saved");

        var user = await fixture.NewPageAsync(width: Desktop);
        await UserSignInAsync(user, alice, Password, test, "old-password");
        await Expect(user.Locator("#signin-error")).ToBeVisibleAsync();
        await Expect(user).ToHaveURLAsync(Ends("/account/login"));
        await UserSignInAsync(user, alice, chosen, test, "new-password");
        await Expect(user).ToHaveURLAsync(Ends("/account/password"));
        await Expect(user.GetByText("Choose a new password before you continue.")).ToBeVisibleAsync();
        await ShotAsync(user, test, "user-forced-password-page");
        await user.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task An_account_administrator_sees_only_their_domain_and_a_forged_reset_for_another_domain_is_refused()
    {
        const string test = nameof(An_account_administrator_sees_only_their_domain_and_a_forged_reset_for_another_domain_is_refused);
        await fixture.CliAsync("domain add northwind.test");
        await fixture.CliAsync("domain add fabrikam.test");
        foreach (var address in new[] { "anna@northwind.test", "ben@northwind.test", "carl@fabrikam.test" })
        {
            await fixture.CliAsync($"mailbox add {address} --password-stdin", Password + "\n");
        }

        await fixture.CliAsync("operator add it@northwind.test --role account --domain northwind.test --password-stdin", Password + "\n");
        var admin = await fixture.NewPageAsync(width: Desktop);

        await AdminSignInAsync(admin, "it@northwind.test", Password, test);
        await Expect(admin).ToHaveURLAsync(Ends("/admin"));
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Mail", Level = 1 })).ToBeVisibleAsync();
        var tabs = admin.Locator("nav.app-nav");
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Mail", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Email", Exact = true })).ToHaveCountAsync(0);
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Domains" })).ToHaveCountAsync(0);
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Operators" })).ToHaveCountAsync(0);
        var rows = admin.Locator("#mailboxes tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal("anna@northwind.test ben@northwind.test", string.Join(' ', (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.mailbox)")).Order()));
        Assert.Equal("|northwind.test", string.Join('|', await admin.Locator("#domain option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)")));
        await ShotAsync(admin, test, "mail-tab");

        // The page's own antiforgery token and cookies: a request the browser could have sent, with a foreign address.
        var token = await admin.Locator("#reset-dialog form[action$=\"handler=Reset\"] input[name=__RequestVerificationToken]").InputValueAsync();
        var forged = await PostResetAsync(admin, token, "carl@fabrikam.test", "Forged-Lantern-Quartz-91");
        var body = await forged.TextAsync();
        Assert.True(forged.Status == 403, $"{forged.Status}: {body}");
        Assert.Contains("You may not manage mailboxes of fabrikam.test.", body, StringComparison.Ordinal);
        // The same token and cookies for a mailbox of the operator's own domain go through, so the 403 above is the
        // permission check and not the antiforgery filter.
        var own = await PostResetAsync(admin, token, "ben@northwind.test", "Own-Lantern-Quartz-92");
        Assert.Equal(302, own.Status);
        Assert.EndsWith("/admin?done=reset&mailbox=ben%40northwind.test", own.Headers["location"], StringComparison.Ordinal);

        await admin.GotoAsync("/admin/mailboxes/edit?address=carl%40fabrikam.test");
        await Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("You may not manage mailboxes of fabrikam.test.");
        await ShotAsync(admin, test, "foreign-mailbox-refused");
        await admin.GotoAsync("/admin?domain=fabrikam.test");
        await Expect(admin.Locator("#error")).ToHaveTextAsync("You may not manage mailboxes of fabrikam.test.");
        await Expect(admin.Locator("tr[data-mailbox=\"carl@fabrikam.test\"]")).ToHaveCountAsync(0);

        var carl = await fixture.NewPageAsync(width: Desktop);
        await UserSignInAsync(carl, "carl@fabrikam.test", "Forged-Lantern-Quartz-91", test, "forged-password");
        await Expect(carl.Locator("#signin-error")).ToBeVisibleAsync();
        await UserSignInAsync(carl, "carl@fabrikam.test", Password, test, "own-password");
        await Expect(carl).ToHaveURLAsync(Ends("/account/password"));
        await Expect(carl.Locator("#signin-error")).ToHaveCountAsync(0);
        await carl.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task With_self_service_switched_off_for_a_domain_its_users_see_the_contact_instead_of_the_form()
    {
        const string test = nameof(With_self_service_switched_off_for_a_domain_its_users_see_the_contact_instead_of_the_form);
        const string contact = "Tailspin IT desk, it@tailspin.test, +1 555 0100";
        await fixture.CliAsync("domain add tailspin.test");
        await fixture.CliAsync("mailbox add dana@tailspin.test --password-stdin", Password + "\n");
        var admin = await PlatformAdminAsync("settings@ops.test", test, Desktop);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Domains" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(Ends("/admin/domains"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "Settings of tailspin.test" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(Ends("/admin/domains/settings?name=tailspin.test"));
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "tailspin.test", Level = 1 })).ToBeVisibleAsync();
        var selfService = admin.GetByLabel("Users may change their own password");
        await Expect(selfService).ToBeCheckedAsync();

        await selfService.UncheckAsync();
        await admin.GetByLabel("Account administrator contact").FillAsync(contact);
        await admin.GetByLabel("Minimum length").FillAsync("16");
        await admin.GetByLabel("A symbol").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(admin.GetByText("This is a preview: nothing is saved until you choose Save changes.")).ToBeVisibleAsync();
        await Expect(admin.Locator("#policy-preview")).ToContainTextAsync("At least 16 characters");
        await Expect(admin.GetByLabel("Users may change their own password")).Not.ToBeCheckedAsync();
        await Expect(admin.GetByLabel("Account administrator contact")).ToHaveValueAsync(contact);
        await ShotAsync(admin, test, "settings-preview");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(Ends("/admin/domains?saved=tailspin.test"));
        var row = admin.Locator("#domains tr").Filter(new() { Has = admin.GetByRole(AriaRole.Rowheader, new() { Name = "tailspin.test" }) });
        await Expect(row).ToContainTextAsync("Off");
        await Expect(row).ToContainTextAsync(contact);
        await Expect(row).ToContainTextAsync("min. 16 characters, symbol");
        await ShotAsync(admin, test, "domains-saved");

        var dana = await fixture.NewPageAsync(width: Desktop);
        await UserSignInAsync(dana, "dana@tailspin.test", Password, test);
        await dana.GotoAsync("/account/password");
        await Expect(dana.GetByText("Passwords of this domain are changed by its administrator.")).ToBeVisibleAsync();
        await Expect(dana.Locator("#admin-contact")).ToHaveTextAsync(contact);
        await Expect(dana.Locator("#NewPassword")).ToHaveCountAsync(0);
        await Expect(dana.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true })).ToHaveCountAsync(0);
        await ShotAsync(dana, test, "user-sees-contact");
        await dana.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_admin_page_renders_at_desktop_width_and_the_email_tab_fits_a_phone()
    {
        const string test = nameof(Every_admin_page_renders_at_desktop_width_and_the_email_tab_fits_a_phone);
        await fixture.CliAsync("domain add wingtip.test");
        await fixture.CliAsync("mailbox add erin@wingtip.test --password-stdin", Password + "\n");
        await fixture.CliAsync("operator add desk@wingtip.test --role account --domain wingtip.test --password-stdin", Password + "\n");
        var admin = await PlatformAdminAsync("tour@ops.test", test, Desktop);
        var violations = CspViolations(admin);

        foreach (var (path, heading) in new[]
                 {
                     ("/admin", "Email"), ("/admin/domains", "Domains"), ("/admin/domains/settings?name=wingtip.test", "wingtip.test"),
                     ("/admin/operators", "Operators"), ("/admin/audit", "Audit"), ("/admin/api-keys", "API keys"),
                 })
        {
            var response = await admin.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
            await ShotAsync(admin, test, $"{Desktop}{path}");
        }

        await admin.GotoAsync("/admin?domain=wingtip.test");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit erin@wingtip.test: set a new password" }).ClickAsync();
        await Expect(admin.Locator("dialog#reset-dialog")).ToBeVisibleAsync();
        await ShotAsync(admin, test, $"{Desktop}-pop-up");

        var phone = await PlatformAdminAsync("pocket@ops.test", test, Phone, height: 844);
        var phoneViolations = CspViolations(phone);
        await phone.GotoAsync("/admin");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Email", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(phone, test, $"{Phone}-admin");
        await ExpectNoSidewaysScrollAsync(phone, "the Email tab");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Edit erin@wingtip.test: set a new password" }).ClickAsync();
        await Expect(phone.Locator("dialog#reset-dialog")).ToBeVisibleAsync();
        await phone.Locator("dialog#reset-dialog").GetByRole(AriaRole.Button, new() { Name = "Generate a strong password" }).ClickAsync();
        await ExpectAllMetAsync(phone.Locator("dialog#reset-dialog ul[data-policy-checklist]"), except: "not-current");
        await ShotAsync(phone, test, $"{Phone}-pop-up");
        await ExpectNoSidewaysScrollAsync(phone, "the pop-up");

        var desk = await fixture.NewPageAsync(width: Desktop);
        await AdminSignInAsync(desk, "desk@wingtip.test", Password, test, "account-admin");
        await Expect(desk.GetByRole(AriaRole.Heading, new() { Name = "Mail", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(desk, test, $"{Desktop}-account-admin-mail-tab");
        foreach (var path in new[] { "/admin/audit", "/admin/api-keys" })
        {
            await desk.GotoAsync(path);
            await ShotAsync(desk, test, $"{Desktop}-account-admin{path}");
        }

        Assert.Empty(violations);
        Assert.Empty(phoneViolations);
        await desk.Context.CloseAsync();
        await phone.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task The_pencil_pop_up_shows_the_recovery_address_of_its_row_and_saves_a_new_one()
    {
        const string test = nameof(The_pencil_pop_up_shows_the_recovery_address_of_its_row_and_saves_a_new_one);
        await fixture.CliAsync("domain add adatum.test");
        await fixture.CliAsync("mailbox add nora@adatum.test --password-stdin", Password + "\n");
        await fixture.CliAsync("mailbox add olaf@adatum.test --password-stdin", Password + "\n");
        await fixture.CliAsync("mailbox set nora@adatum.test --recovery nora@home.example");
        var admin = await PlatformAdminAsync("helm@ops.test", test, Desktop);
        await admin.GotoAsync("/admin?domain=adatum.test");
        var dialog = admin.Locator("dialog#reset-dialog");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit nora@adatum.test: set a new password" }).ClickAsync();
        await Expect(dialog.GetByLabel("Recovery address")).ToHaveValueAsync("nora@home.example");
        await dialog.GetByLabel("Recovery address").ScrollIntoViewIfNeededAsync();
        await ShotAsync(admin, test, "pop-up-with-recovery-address");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        // The pop-up serves every row: the next one must not show nora's address.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit olaf@adatum.test: set a new password" }).ClickAsync();
        await Expect(dialog.GetByLabel("Recovery address")).ToHaveValueAsync("");
        await dialog.GetByLabel("Recovery address").FillAsync("olaf@home.example");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save recovery address" }).ClickAsync();

        await Expect(admin.Locator("#confirmation")).ToContainTextAsync("The recovery address of olaf@adatum.test was saved.");
        await ShotAsync(admin, test, "saved");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit olaf@adatum.test: set a new password" }).ClickAsync();
        await Expect(dialog.GetByLabel("Recovery address")).ToHaveValueAsync("olaf@home.example");
        await admin.Context.CloseAsync();
    }

    private async Task<IPage> PlatformAdminAsync(string email, string test, int width, int height = 800)
    {
        await fixture.CliAsync($"operator add {email} --role platform --password-stdin", Password + "\n");
        var page = await fixture.NewPageAsync(width: width, height: height);
        await AdminSignInAsync(page, email, Password, test, email.Split('@')[0]);
        await Expect(page).ToHaveURLAsync(Ends("/admin"));
        return page;
    }

    private static async Task<IAPIResponse> PostResetAsync(IPage page, string token, string address, string password)
    {
        var form = page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        form.Set("Address", address);
        form.Set("NewPassword", password);
        form.Set("MustChange", "false");
        return await page.APIRequest.PostAsync("/admin/mailboxes/edit?handler=Reset", new() { Form = form, MaxRedirects = 0 });
    }

    /// <summary>No sideways scrolling of the page itself; a wide table may still scroll inside its own frame.</summary>
    private static async Task ExpectNoSidewaysScrollAsync(IPage page, string what)
    {
        var wide = await page.EvaluateAsync<string[]?>("""
            () => document.documentElement.scrollWidth <= window.innerWidth ? null :
              [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.getClientRects().length > 0)
                .filter(e => { // suspects: not inside a scrolling frame (the nav strip, a table), or positioned out of it
                  if (["absolute", "fixed"].includes(getComputedStyle(e).position)) return true;
                  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                    if (getComputedStyle(a).overflowX !== "visible") return false;
                  return true;
                })
                .map(e => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")} right=${Math.round(e.getBoundingClientRect().right)}`)
            """);
        Assert.True(wide is null, $"{what} scrolls sideways at {page.ViewportSize?.Width} px; sticking out: {string.Join("; ", (wide ?? []).Take(12))}");
    }

    /// <summary>Every criterion of the live checklist ticked, or the states as they are in the failure message.</summary>
    private static async Task ExpectAllMetAsync(ILocator checklist, string except)
    {
        try
        {
            await Expect(checklist.Locator($"li[data-criterion]:not([data-state=met]):not([data-criterion={except}])")).ToHaveCountAsync(0);
        }
        catch (PlaywrightException e)
        {
            var states = await checklist.Locator("li[data-criterion]").EvaluateAllAsync<string[]>("items => items.map(i => `${i.dataset.criterion}=${i.dataset.state} (${i.textContent})`)");
            throw new Xunit.Sdk.XunitException($"checklist not all met: {string.Join("; ", states)}\n{e.Message}");
        }
    }

    private static List<string> CspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    private async Task AdminSignInAsync(IPage page, string email, string password, string test, string who = "admin")
    {
        await page.GotoAsync("/admin/login");
        await ShotAsync(page, test, $"{who}-sign-in");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Generous: the first sign-in of a run also warms up the freshly started server on two shared cores.
        try
        {
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var server = fixture.ServerOutput;
            output.WriteLine($"sign-in of {email} did not load; the page is at {page.Url}; the server said:\n{server[Math.Max(0, server.Length - 6000)..]}");
            await ShotAsync(page, test, $"{who}-sign-in-timeout");
            throw;
        }
    }

    private async Task UserSignInAsync(IPage page, string address, string password, string test, string who = "user")
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email address").FillAsync(address);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Generous: the first sign-in of a run also warms up the freshly started server on two shared cores.
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 30_000 });
        await ShotAsync(page, test, $"{who}-signed-in");
    }

    private async Task ShotAsync(IPage page, string test, string step) =>
        output.WriteLine($"screenshot: {await BrowserFixture.ScreenshotAsync(page, test, step)}");

    private static Regex Ends(string pathAndQuery) => new(Regex.Escape(pathAndQuery) + "$");

    [GeneratedRegex(@"^Password: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex GeneratedPassword();

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
