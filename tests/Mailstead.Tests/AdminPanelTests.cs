using System.Net;

namespace Mailstead.Tests;

/// <summary>The admin panel over HTTP against the real server, as a browser without JavaScript uses it.</summary>
public sealed class AdminPanelTests : IDisposable
{
    private const string AlicePassword = "purple ferns grow by the quay 9";
    private const string ZedPassword = "copper kettles sing at dawn 4";
    private const string RootPassword = "correct horse battery staple 42";
    private const string OwnerPassword = "quiet lighthouse keeper 77";
    private const string NewPassword = "seven lanterns above the bay";

    private readonly MailsteadProcess _mailstead = new();

    public void Dispose() => _mailstead.Dispose();

    private async Task<RunningServer> PlatformAsync()
    {
        await Cli("domain add example.test");
        await Cli("domain add other.test");
        await Cli("mailbox add alice@example.test --name \"Alice Liddell\" --password-stdin", AlicePassword);
        await Cli("mailbox add zed@other.test --password-stdin", ZedPassword);
        await Cli("operator add root@example.test --role platform --password-stdin", RootPassword);
        await Cli("operator add owner@example.test --role account --domain example.test --password-stdin", OwnerPassword);
        var server = await _mailstead.StartServerAsync();
        return server;
    }

    private async Task Cli(string arguments, string? stdin = null)
    {
        var result = await _mailstead.RunAsync(arguments, stdin is null ? null : stdin + "\n");
        Assert.True(result.ExitCode == 0, $"mailstead {arguments}: {result.Error}");
    }

    [Fact]
    public async Task An_operator_resets_a_password_through_the_edit_form_and_the_old_password_no_longer_signs_in()
    {
        using var server = await PlatformAsync();
        using var alice = new WebClient(server.BaseAddress);
        await alice.SignInOrFailAsync("account", "alice@example.test", AlicePassword);
        using var root = new WebClient(server.BaseAddress);
        await root.SignInOrFailAsync("admin", "root@example.test", RootPassword);

        using var saved = await root.PostFormAsync("/admin", "/admin/mailboxes/edit?handler=Reset", ("Address", "alice@example.test"), ("NewPassword", NewPassword));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var confirmation = saved.Headers.Location!.OriginalString;
        Assert.Equal("/admin?done=reset&mailbox=alice%40example.test", confirmation);
        Assert.Contains("Every browser session and mail connection of alice@example.test was ended", await root.GetStringAsync(confirmation), StringComparison.Ordinal);

        using (var signedOut = await alice.GetAsync("/account/password"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.StartsWith("/account/login", signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using (var old = await alice.SignInAsync("account", "alice@example.test", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }

        await alice.SignInOrFailAsync("account", "alice@example.test", NewPassword);
    }

    [Fact]
    public async Task A_reset_that_fails_the_policy_changes_nothing_and_shows_the_failed_criteria()
    {
        using var server = await PlatformAsync();
        using var root = new WebClient(server.BaseAddress);
        await root.SignInOrFailAsync("admin", "root@example.test", RootPassword);

        using var refused = await root.PostFormAsync("/admin", "/admin/mailboxes/edit?handler=Reset", ("Address", "alice@example.test"), ("NewPassword", "alice liddell 2024"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-criterion=\"not-personal\" data-state=\"unmet\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alice liddell 2024", html, StringComparison.Ordinal);
        using var alice = new WebClient(server.BaseAddress);
        await alice.SignInOrFailAsync("account", "alice@example.test", AlicePassword);
    }

    [Fact]
    public async Task The_live_checklist_judges_a_candidate_by_the_mailbox_policy()
    {
        using var server = await PlatformAsync();
        using var root = new WebClient(server.BaseAddress);
        await root.SignInOrFailAsync("admin", "root@example.test", RootPassword);

        using var check = await root.PostJsonAsync("/admin", "/admin/mailboxes/edit?handler=Check", new { password = "short", address = "alice@example.test" });

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var json = await check.Content.ReadAsStringAsync();
        Assert.Contains("{\"id\":\"length-min\",\"state\":\"unmet\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_administrator_sees_only_their_domains_and_a_forged_reset_for_another_domain_is_refused_and_audited()
    {
        using var server = await PlatformAsync();
        using var owner = new WebClient(server.BaseAddress);
        await owner.SignInOrFailAsync("admin", "owner@example.test", OwnerPassword);

        var mail = await owner.GetStringAsync("/admin");
        Assert.Contains("<h1>Mail</h1>", mail, StringComparison.Ordinal);
        Assert.Contains("alice@example.test", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("other.test", mail, StringComparison.Ordinal);
        using (var foreignFilter = await owner.GetAsync("/admin?domain=other.test"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreignFilter.StatusCode);
            Assert.DoesNotContain("zed@other.test", await foreignFilter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var forged = await owner.PostFormAsync("/admin", "/admin/mailboxes/edit?handler=Reset", ("Address", "zed@other.test"), ("NewPassword", NewPassword));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("You may not manage mailboxes of other.test.", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using (var check = await owner.PostJsonAsync("/admin", "/admin/mailboxes/edit?handler=Check", new { password = "x", address = "zed@other.test" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        }

        using var zed = new WebClient(server.BaseAddress);
        await zed.SignInOrFailAsync("account", "zed@other.test", ZedPassword);

        using var root = new WebClient(server.BaseAddress);
        await root.SignInOrFailAsync("admin", "root@example.test", RootPassword);
        var audit = await root.GetStringAsync("/admin/audit?target=zed@other.test&match=equals&action=PasswordReset");
        Assert.Contains(">Denied</span>", audit, StringComparison.Ordinal);
        Assert.Contains("owner@example.test", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(">Success</span>", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Domains_and_operators_are_not_permitted_to_an_account_administrator()
    {
        using var server = await PlatformAsync();
        using var owner = new WebClient(server.BaseAddress);
        await owner.SignInOrFailAsync("admin", "owner@example.test", OwnerPassword);

        foreach (var path in new[] { "/admin/domains", "/admin/operators", "/admin/domains/settings?name=example.test" })
        {
            using var response = await owner.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Not permitted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var forgedDomain = await owner.PostFormAsync("/admin", "/admin/domains", ("Name", "evil.test"));
        Assert.Equal(HttpStatusCode.Forbidden, forgedDomain.StatusCode);
    }

    [Fact]
    public async Task Disabling_a_mailbox_ends_its_user_panel_session_and_enabling_lets_it_sign_in_again()
    {
        using var server = await PlatformAsync();
        using var alice = new WebClient(server.BaseAddress);
        await alice.SignInOrFailAsync("account", "alice@example.test", AlicePassword);
        using var owner = new WebClient(server.BaseAddress);
        await owner.SignInOrFailAsync("admin", "owner@example.test", OwnerPassword);

        using (var disabled = await owner.PostFormAsync("/admin", "/admin?handler=Disable", ("address", "alice@example.test")))
        {
            Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
            Assert.Contains("Disabled", await owner.GetStringAsync(disabled.Headers.Location!.OriginalString), StringComparison.Ordinal);
        }

        using (var signedOut = await alice.GetAsync("/account/password"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        }

        using (var refused = await alice.SignInAsync("account", "alice@example.test", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        using (var enabled = await owner.PostFormAsync("/admin", "/admin?handler=Enable", ("address", "alice@example.test")))
        {
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        await alice.SignInOrFailAsync("account", "alice@example.test", AlicePassword);
    }

    [Fact]
    public async Task A_platform_admin_adds_a_domain_an_account_administrator_and_an_api_key_whose_secrets_are_shown_once()
    {
        using var server = await PlatformAsync();
        using var root = new WebClient(server.BaseAddress);
        await root.SignInOrFailAsync("admin", "root@example.test", RootPassword);

        using (var added = await root.PostFormAsync("/admin/domains", "/admin/domains", ("Name", "New.Example")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        using (var preview = await root.PostFormAsync("/admin/domains/settings?name=new.example", "/admin/domains/settings?handler=Preview", ("Name", "new.example"), ("MinLength", "16"), ("RequireDigit", "true")))
        {
            var html = await preview.Content.ReadAsStringAsync();
            Assert.Contains("At least 16 characters", html, StringComparison.Ordinal);
            Assert.Contains("Has a digit", html, StringComparison.Ordinal);
        }

        using (var saved = await root.PostFormAsync("/admin/domains/settings?name=new.example", "/admin/domains/settings", ("Name", "new.example"), ("MinLength", "16"), ("SelfServiceEnabled", "true")))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        Assert.Contains("min. 16 characters", await root.GetStringAsync("/admin/domains"), StringComparison.Ordinal);

        using var created = await root.PostFormAsync("/admin/operators", "/admin/operators", ("Email", "carol@new.example"), ("Role", "account"), ("SelectedDomains", "new.example"));
        var page = await created.Content.ReadAsStringAsync();
        var oneTime = System.Text.RegularExpressions.Regex.Match(page, "id=\"generated-password\">([^<]+)<").Groups[1].Value;
        Assert.NotEmpty(oneTime);
        using var carol = new WebClient(server.BaseAddress);
        using (var first = await carol.SignInAsync("admin", "carol@new.example", WebUtility.HtmlDecode(oneTime)))
        {
            Assert.Equal("/admin/password", first.Headers.Location!.OriginalString);
        }

        using var key = await root.PostFormAsync("/admin/api-keys", "/admin/api-keys", ("Name", "billing sync"));
        var keys = await key.Content.ReadAsStringAsync();
        Assert.Matches("value=\"msk_[A-Za-z0-9_-]{40,}\"", keys);
        Assert.DoesNotMatch("msk_[A-Za-z0-9_-]{40,}", await root.GetStringAsync("/admin/api-keys"));
    }
}
