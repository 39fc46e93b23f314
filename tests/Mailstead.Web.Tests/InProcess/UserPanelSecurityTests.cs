using System.Net;
using System.Text.Json;
using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Tests.InProcess;

/// <summary>The user panel's web security, over the whole pipeline in process: antiforgery, cookies, sessions, headers.</summary>
public sealed class UserPanelSecurityTests : IAsyncLifetime
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

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused_and_starts_no_session()
    {
        using var browser = _host.Client();
        await browser.GetAsync("/account/login");

        var post = await browser.PostFormAsync("/account/login", [new("Email", _alice), new("Password", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Null(post.SetCookie("mailstead-account"));
        Assert.Equal("/account/login?expired=1", (await browser.GetAsync("/account/password")).Location);
    }

    [Fact]
    public async Task A_password_change_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        var hashBefore = await _host.PasswordHashAsync(_alice);

        var post = await browser.PostFormAsync("/account/password", [new("CurrentPassword", Password), new("NewPassword", NewPassword), new("ConfirmPassword", NewPassword)]);

        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal(hashBefore, await _host.PasswordHashAsync(_alice));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
    }

    [Fact]
    public async Task The_check_endpoint_answers_each_criterion_as_json_and_requires_the_antiforgery_token()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        var token = (await browser.GetAsync("/account/password")).AntiforgeryToken;

        var withoutToken = await browser.PostJsonAsync("/account/password?handler=Check", new { password = "short" }, antiforgeryToken: null);
        var weak = await browser.PostJsonAsync("/account/password?handler=Check", new { password = "short" }, token);
        var strong = await browser.PostJsonAsync("/account/password?handler=Check", new { password = NewPassword, currentPassword = Password }, token);

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.Status);
        Assert.Equal(HttpStatusCode.OK, weak.Status);
        Assert.StartsWith("application/json", weak.ContentHeaders.ContentType?.ToString(), StringComparison.Ordinal);
        var weakStates = States(weak.Body);
        Assert.Contains("unmet", weakStates.Values);
        Assert.All(States(strong.Body), c => Assert.Equal("met", c.Value));
        Assert.Equal(weakStates.Keys.Order(), States(strong.Body).Keys.Order());
    }

    [Fact]
    public async Task The_check_endpoint_needs_a_session()
    {
        using var stranger = _host.Client();
        var token = (await stranger.GetAsync("/account/login")).AntiforgeryToken;

        var check = await stranger.PostJsonAsync("/account/password?handler=Check", new { password = "short" }, token);

        Assert.Equal(HttpStatusCode.Redirect, check.Status);
        Assert.Equal("/account/login?expired=1", check.Location);
    }

    [Fact]
    public async Task Over_http_the_session_cookie_is_httponly_samesite_strict_and_for_the_whole_site()
    {
        using var browser = _host.Client();

        var signIn = await browser.SignInAsync(_alice, Password);

        Assert.Equal("/account", signIn.Location);
        var cookie = Attributes(signIn.SetCookie("mailstead-account"));
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/", cookie);
        Assert.DoesNotContain(cookie, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_host_prefixed_and_secure_and_the_antiforgery_cookie_is_secure()
    {
        using var browser = _host.Client(https: true);

        var form = await browser.GetAsync("/account/login");
        var signIn = await browser.SignInAsync(_alice, Password);

        Assert.Null(signIn.SetCookie("mailstead-account"));
        var cookie = Attributes(signIn.SetCookie("__Host-mailstead-account"));
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/", cookie);
        Assert.DoesNotContain(cookie, a => a.StartsWith("domain=", StringComparison.Ordinal));
        var antiforgery = Attributes(form.SetCookies.Single(c => c.Contains("antiforgery", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("secure", antiforgery);
        Assert.Contains("httponly", antiforgery);
        Assert.Contains("samesite=strict", antiforgery);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_address_and_a_disabled_mailbox_get_the_same_answer()
    {
        var bob = await _host.AddMailboxAsync("bob", Password);
        await _host.DisableMailboxAsync(bob);

        var wrongPassword = await RefusedSignInAsync(_alice, "not-the-password-1");
        var unknown = await RefusedSignInAsync("nobody@example.test", "not-the-password-1");
        var disabled = await RefusedSignInAsync(bob, Password);

        Assert.Contains("id=\"signin-error\"", wrongPassword, StringComparison.Ordinal);
        Assert.Equal(wrongPassword, unknown);
        Assert.Equal(wrongPassword, disabled);

        async Task<string> RefusedSignInAsync(string email, string password)
        {
            using var browser = _host.Client();
            var page = await browser.SignInAsync(email, password);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Null(page.SetCookie("mailstead-account"));
            // The page echoes the typed address and carries a fresh token; everything else must be identical.
            return page.Body.Replace(email, "EMAIL", StringComparison.Ordinal).Replace(page.AntiforgeryToken!, "TOKEN", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_idle_session_is_sent_to_the_sign_in_page_and_an_active_one_is_not()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        _host.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
        _host.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
        _host.Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal("/account/login?expired=1", (await browser.GetAsync("/account/password")).Location);
        Assert.Contains("Please sign in to continue.", (await browser.GetAsync("/account/login?expired=1")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_timeout_however_active_it_is()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(25))
        {
            _host.Time.Advance(TimeSpan.FromMinutes(25));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
        }

        _host.Time.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal("/account/login?expired=1", (await browser.GetAsync("/account/password")).Location);
    }

    [Fact]
    public async Task A_password_change_in_one_browser_ends_the_other_session_at_its_next_request_and_keeps_this_one()
    {
        using var laptop = _host.Client();
        using var phone = _host.Client();
        await laptop.SignInAsync(_alice, Password);
        await phone.SignInAsync(_alice, Password);
        var laptopCookieBefore = laptop.Cookies.GetCookies(laptop.BaseAddress)["mailstead-account"]!.Value;

        var change = await laptop.ChangePasswordAsync(Password, NewPassword);

        Assert.Equal("/account/password?changed=true", change.Location);
        Assert.NotEqual(laptopCookieBefore, laptop.Cookies.GetCookies(laptop.BaseAddress)["mailstead-account"]!.Value);
        var confirmation = await laptop.GetAsync(change.Location!);
        Assert.Equal(HttpStatusCode.OK, confirmation.Status);
        Assert.Contains("Your password was changed.", confirmation.Body, StringComparison.Ordinal);
        Assert.Equal("/account/login?expired=1", (await phone.GetAsync("/account/password")).Location);

        using var later = _host.Client();
        Assert.Null((await later.SignInAsync(_alice, Password)).Location);
        Assert.Equal("/account", (await later.SignInAsync(_alice, NewPassword)).Location);
    }

    [Fact]
    public async Task A_refused_change_says_why_and_no_password_appears_in_any_response_or_redirect()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        await browser.ChangePasswordAsync("Wrong-current-Pass-91", NewPassword);
        var mismatch = await browser.ChangePasswordAsync(Password, NewPassword, NewPassword + "x");
        await browser.ChangePasswordAsync(Password, NewPassword);
        await browser.SignInAsync(_alice, "Wrong-current-Pass-91");

        Assert.Contains("aria-invalid=\"true\"", mismatch.Body, StringComparison.Ordinal);
        foreach (var secret in new[] { Password, NewPassword, NewPassword + "x", "Wrong-current-Pass-91" })
        {
            Assert.DoesNotContain(secret, browser.Transcript, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), browser.Transcript, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_mailbox_that_must_change_its_password_is_sent_to_the_password_page_until_it_does()
    {
        var carol = await _host.AddMailboxAsync("carol", Password, mustChange: true);
        using var browser = _host.Client();

        var signIn = await browser.SignInAsync(carol, Password);
        var page = await browser.GetAsync("/account/password");

        Assert.Equal("/account/password", signIn.Location);
        Assert.Equal("/account/password", (await browser.GetAsync("/account")).Location);
        Assert.Equal("/account/password", (await browser.GetAsync("/account/sessions")).Location);
        Assert.Equal("/account/password", (await browser.GetAsync("/account/security")).Location);
        Assert.Contains("Choose a new password before you continue.", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"app-nav\"", page.Body, StringComparison.Ordinal);

        await browser.ChangePasswordAsync(Password, NewPassword);
        Assert.DoesNotContain("Choose a new password", (await browser.GetAsync("/account/password")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/sessions")).Status);
        using var again = _host.Client();
        Assert.Equal("/account", (await again.SignInAsync(carol, NewPassword)).Location);
    }

    [Fact]
    public async Task With_self_service_off_the_password_page_shows_the_contact_instead_of_the_form_and_a_forged_change_is_refused()
    {
        await _host.TurnOffSelfServiceAsync("postmaster@hosting.test");
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        var hashBefore = await _host.PasswordHashAsync(_alice);

        var page = await browser.GetAsync("/account/password");
        var token = page.AntiforgeryToken!; // the sign-out form in the header still carries one
        var forged = await browser.PostFormAsync("/account/password", [new("CurrentPassword", Password), new("NewPassword", NewPassword), new("ConfirmPassword", NewPassword), new("__RequestVerificationToken", token)]);

        Assert.Contains("postmaster@hosting.test", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"NewPassword\"", page.Body, StringComparison.Ordinal);
        Assert.Null(forged.Location);
        Assert.Equal(hashBefore, await _host.PasswordHashAsync(_alice));
    }

    [Fact]
    public async Task Sign_out_is_a_post_that_ends_the_session_and_a_get_does_not()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);

        var get = await browser.GetAsync("/account/logout");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).Status);
        var post = await browser.SubmitAsync("/account/password");

        Assert.Equal("/account", get.Location);
        Assert.Equal(HttpStatusCode.OK, post.Status); // the password page with a blank form; now sign out for real
        var token = (await browser.GetAsync("/account/password")).AntiforgeryToken!;
        var signOut = await browser.PostFormAsync("/account/logout", [new("__RequestVerificationToken", token)]);
        Assert.Equal("/account/login", signOut.Location);
        Assert.Equal("/account/login?expired=1", (await browser.GetAsync("/account/password")).Location);
    }

    [Fact]
    public async Task A_user_panel_session_does_not_open_the_admin_panel_even_under_the_admin_cookie_name()
    {
        using var browser = _host.Client();
        await browser.SignInAsync(_alice, Password);
        var token = browser.Cookies.GetCookies(browser.BaseAddress)["mailstead-account"]!.Value;
        browser.Cookies.Add(browser.BaseAddress, new Cookie("mailstead-admin", token, "/"));

        Assert.Equal("/admin/login?expired=1", (await browser.GetAsync("/admin/password")).Location);
    }

    [Theory]
    [InlineData("/account/login", false)]
    [InlineData("/account/login", true)]
    [InlineData("/account/password", false)]
    public async Task Every_page_carries_the_strict_content_security_policy_and_is_not_cached(string path, bool https)
    {
        using var browser = _host.Client(https);
        await browser.SignInAsync(_alice, Password);

        var page = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SecurityHeadersMiddleware.ContentSecurityPolicy, Single(page, "Content-Security-Policy"));
        Assert.Contains("script-src 'self'", SecurityHeadersMiddleware.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", SecurityHeadersMiddleware.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Single(page, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(page, "X-Frame-Options"));
        Assert.Equal(https, page.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("<script>", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=\"", page.Body, StringComparison.Ordinal);
    }

    private static string Single(Page page, string header) => Assert.Single(page.Headers.GetValues(header));

    private static List<string> Attributes(string? setCookie)
    {
        Assert.NotNull(setCookie);
        return [.. setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];
    }

    private static Dictionary<string, string> States(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("criteria").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("state").GetString()!);
    }
}
