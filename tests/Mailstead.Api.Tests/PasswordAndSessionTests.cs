using System.Net;
using System.Net.Http.Json;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Api.Tests;

public sealed class PasswordAndSessionTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string OldPassword = "correct horse battery staple 42";
    private const string NewPassword = "a quite different passphrase 7";

    [Fact]
    public async Task Setting_a_password_moves_the_epoch_and_the_old_password_no_longer_signs_in()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, OldPassword);
        var before = Assert.IsType<AuthenticatedPrincipal>((await SignInAsync(address, OldPassword)).Value);

        var set = await ApiAssert.JsonAsync(
            await host.AsAccountAdmin().PutAsJsonAsync($"/api/v1/mailboxes/{address}/password", new { password = NewPassword }),
            HttpStatusCode.OK);

        Assert.Equal(before.Epoch + 1, set.GetProperty("epoch").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, set.GetProperty("generatedPassword").ValueKind);
        Assert.False((await SignInAsync(address, OldPassword)).Succeeded);
        Assert.True((await SignInAsync(address, NewPassword)).Succeeded);
    }

    [Fact]
    public async Task Setting_no_password_generates_one_returned_once_and_must_change_is_kept()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, OldPassword);

        var set = await ApiAssert.JsonAsync(
            await host.AsPlatformAdmin().PutAsJsonAsync($"/api/v1/mailboxes/{address}/password", new { mustChange = true }),
            HttpStatusCode.OK);
        var signedIn = await SignInAsync(address, set.GetProperty("generatedPassword").GetString()!);
        var mailbox = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/mailboxes/{address}"), HttpStatusCode.OK);

        Assert.True(signedIn.Succeeded);
        Assert.True(signedIn.Value!.MustChange);
        Assert.True(mailbox.GetProperty("mustChangePassword").GetBoolean());
        Assert.False((await SignInAsync(address, OldPassword)).Succeeded);
    }

    [Fact]
    public async Task An_account_administrator_setting_a_password_in_another_domain_gets_403_and_nothing_changes()
    {
        var address = await host.AddMailboxAsync(ApiHost.ForeignDomain, OldPassword);
        var epoch = (await SignInAsync(address, OldPassword)).Value!.Epoch;

        var problem = await ApiAssert.ProblemAsync(
            await host.AsAccountAdmin().PutAsJsonAsync($"/api/v1/mailboxes/{address}/password", new { password = NewPassword }),
            HttpStatusCode.Forbidden);

        Assert.Contains(ApiHost.ForeignDomain, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var still = await SignInAsync(address, OldPassword);
        Assert.True(still.Succeeded);
        Assert.Equal(epoch, still.Value!.Epoch);
        Assert.False((await SignInAsync(address, NewPassword)).Succeeded);
    }

    [Fact]
    public async Task A_weak_password_is_a_422_problem_listing_the_failed_criteria_and_nothing_changes()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, OldPassword);

        var problem = await ApiAssert.ProblemAsync(
            await host.AsPlatformAdmin().PutAsJsonAsync($"/api/v1/mailboxes/{address}/password", new { password = "password" }),
            HttpStatusCode.UnprocessableEntity);

        var criteria = problem.GetProperty("criteria").EnumerateArray().ToList();
        var unmet = criteria.Where(c => c.GetProperty("state").GetString() == "unmet").ToList();
        Assert.NotEmpty(unmet);
        Assert.All(criteria, c =>
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("id").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("sentence").GetString()));
        });
        Assert.True(problem.GetProperty("errors").TryGetProperty(PasswordFields.New, out _));
        Assert.True((await SignInAsync(address, OldPassword)).Succeeded);
    }

    [Fact]
    public async Task Setting_the_password_of_a_mailbox_that_does_not_exist_is_a_404_problem()
    {
        await ApiAssert.ProblemAsync(
            await host.AsPlatformAdmin().PutAsJsonAsync($"/api/v1/mailboxes/nobody@{ApiHost.OwnDomain}/password", new { password = NewPassword }),
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sessions_are_listed_and_deleting_them_ends_every_one()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, OldPassword);
        var sessions = host.Services.GetRequiredService<SessionService>();
        var owner = new CredentialOwner(CredentialOwnerKind.Mailbox, address);
        var epoch = (await SignInAsync(address, OldPassword)).Value!.Epoch;
        var first = await sessions.StartAsync(owner, epoch, Surface.UserPanel, IPAddress.Parse("192.0.2.7"), "Firefox", CancellationToken.None);
        await sessions.StartAsync(owner, epoch, Surface.Webmail, IPAddress.Loopback, "Chromium", CancellationToken.None);
        var client = host.AsAccountAdmin();

        var listed = await ApiAssert.JsonAsync(await client.GetAsync($"/api/v1/mailboxes/{address}/sessions"), HttpStatusCode.OK);
        var deleted = await client.DeleteAsync($"/api/v1/mailboxes/{address}/sessions");
        var after = await ApiAssert.JsonAsync(await client.GetAsync($"/api/v1/mailboxes/{address}/sessions"), HttpStatusCode.OK);

        Assert.Equal(2, listed.GetArrayLength());
        Assert.Contains("192.0.2.7", ApiAssert.Strings(listed, "clientAddress"));
        Assert.Contains("UserPanel", ApiAssert.Strings(listed, "surface"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, after.GetArrayLength());
        Assert.Null(await sessions.ValidateAsync(first.Token, CancellationToken.None));
        Assert.True((await SignInAsync(address, OldPassword)).Succeeded);
    }

    [Fact]
    public async Task An_account_administrator_may_neither_list_nor_end_another_domains_sessions()
    {
        var address = await host.AddMailboxAsync(ApiHost.ForeignDomain, OldPassword);
        var sessions = host.Services.GetRequiredService<SessionService>();
        await sessions.StartAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, address), 0, Surface.UserPanel, IPAddress.Loopback, "Firefox", CancellationToken.None);
        var client = host.AsAccountAdmin();

        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/mailboxes/{address}/sessions"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.DeleteAsync($"/api/v1/mailboxes/{address}/sessions"), HttpStatusCode.Forbidden);

        Assert.Single(await sessions.ListAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, address), CancellationToken.None));
    }

    private Task<Outcome<AuthenticatedPrincipal>> SignInAsync(string address, string password) =>
        host.Services.GetRequiredService<CredentialService>().AuthenticateAsync(new LoginAttempt(address, password, Surface.Imap, IPAddress.Loopback), CancellationToken.None);
}
