using System.Net;
using System.Net.Http.Json;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Api.Tests;

public sealed class MailboxTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string StrongPassword = "correct horse battery staple 42";

    [Fact]
    public async Task Creating_a_mailbox_without_a_password_returns_the_generated_one_once_and_it_signs_in()
    {
        var client = host.AsPlatformAdmin();

        var response = await client.PostAsJsonAsync("/api/v1/mailboxes", new { address = "Alice@Example.org", displayName = "Alice" });
        var created = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        var generated = created.GetProperty("generatedPassword").GetString()!;
        var read = await client.GetAsync("/api/v1/mailboxes/alice@example.org");
        var body = await read.Content.ReadAsStringAsync();

        Assert.Equal("alice@example.org", created.GetProperty("mailbox").GetProperty("address").GetString());
        Assert.Equal("/api/v1/mailboxes/alice%40example.org", response.Headers.Location?.OriginalString);
        Assert.True((await SignInAsync("alice@example.org", generated)).Succeeded);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(generated, body, StringComparison.Ordinal);
        Assert.DoesNotContain("argon2", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Creating_a_mailbox_with_a_password_returns_no_generated_password()
    {
        var created = await ApiAssert.JsonAsync(
            await host.AsAccountAdmin().PostAsJsonAsync("/api/v1/mailboxes", new { address = "bob@example.org", password = StrongPassword }),
            HttpStatusCode.Created);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("generatedPassword").ValueKind);
        Assert.True((await SignInAsync("bob@example.org", StrongPassword)).Succeeded);
    }

    [Fact]
    public async Task Creating_a_mailbox_twice_is_a_409_problem()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);

        await ApiAssert.ProblemAsync(await host.AsPlatformAdmin().PostAsJsonAsync("/api/v1/mailboxes", new { address }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Creating_a_mailbox_with_a_weak_password_is_a_422_problem_listing_the_criteria()
    {
        var problem = await ApiAssert.ProblemAsync(
            await host.AsPlatformAdmin().PostAsJsonAsync("/api/v1/mailboxes", new { address = "weak@example.org", password = "short" }),
            HttpStatusCode.UnprocessableEntity);

        Assert.Contains("unmet", ApiAssert.Strings(problem.GetProperty("criteria"), "state"));
        await ApiAssert.ProblemAsync(await host.AsPlatformAdmin().GetAsync("/api/v1/mailboxes/weak@example.org"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Listing_mailboxes_pages_through_them_with_the_total()
    {
        var domain = "paging-" + Guid.NewGuid().ToString("N")[..6] + ".example";
        Assert.True((await host.Accounts.AddDomainAsync(ApiHost.System, domain, Surface.Cli, CancellationToken.None)).Succeeded);
        for (var i = 0; i < 3; i++)
        {
            await host.AddMailboxAsync(domain, StrongPassword);
        }

        var page1 = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/mailboxes?domain={domain}&page=1&pageSize=2"), HttpStatusCode.OK);
        var page2 = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/mailboxes?domain={domain}&page=2&pageSize=2"), HttpStatusCode.OK);

        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Empty(ApiAssert.Strings(page1.GetProperty("items"), "address").Intersect(ApiAssert.Strings(page2.GetProperty("items"), "address")));
    }

    [Fact]
    public async Task Searching_finds_mailboxes_by_part_of_the_address()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);

        var page = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/mailboxes?q={address[..10]}"), HttpStatusCode.OK);

        Assert.Equal([address], ApiAssert.Strings(page.GetProperty("items"), "address"));
    }

    [Fact]
    public async Task A_page_size_out_of_range_is_a_400_problem_naming_the_field()
    {
        var problem = await ApiAssert.ProblemAsync(await host.AsPlatformAdmin().GetAsync("/api/v1/mailboxes?pageSize=1000"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task An_account_administrator_lists_only_their_domains_mailboxes_and_is_refused_another_domains()
    {
        var own = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);
        var foreign = await host.AddMailboxAsync(ApiHost.ForeignDomain, StrongPassword);
        var client = host.AsAccountAdmin();

        var all = await ApiAssert.JsonAsync(await client.GetAsync("/api/v1/mailboxes?pageSize=200"), HttpStatusCode.OK);
        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/mailboxes?domain={ApiHost.ForeignDomain}"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/mailboxes/{foreign}"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.PostAsJsonAsync("/api/v1/mailboxes", new { address = "intruder@" + ApiHost.ForeignDomain }), HttpStatusCode.Forbidden);

        var addresses = ApiAssert.Strings(all.GetProperty("items"), "address");
        Assert.Contains(own, addresses);
        Assert.All(addresses, a => Assert.EndsWith("@" + ApiHost.OwnDomain, a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabling_a_mailbox_refuses_its_sign_in_and_enabling_restores_it()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);
        var client = host.AsAccountAdmin();

        var disabled = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { disabled = true }), HttpStatusCode.OK);
        var refused = await SignInAsync(address, StrongPassword);
        var enabled = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { disabled = false }), HttpStatusCode.OK);

        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.False(refused.Succeeded);
        Assert.False(enabled.GetProperty("disabled").GetBoolean());
        Assert.True((await SignInAsync(address, StrongPassword)).Succeeded);
    }

    [Fact]
    public async Task A_recovery_address_is_set_and_removed_with_a_patch_and_a_bad_one_is_a_400_naming_the_field()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);
        var foreign = await host.AddMailboxAsync(ApiHost.ForeignDomain, StrongPassword);
        var client = host.AsAccountAdmin();

        var set = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { recoveryAddress = "Someone@Home.Example" }), HttpStatusCode.OK);
        var untouched = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { disabled = false }), HttpStatusCode.OK);
        var bad = await ApiAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { recoveryAddress = address, disabled = true }), HttpStatusCode.BadRequest);
        var denied = await client.PatchAsJsonAsync($"/api/v1/mailboxes/{foreign}", new { recoveryAddress = "x@home.example" });
        var removed = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync($"/api/v1/mailboxes/{address}", new { recoveryAddress = "" }), HttpStatusCode.OK);

        Assert.Equal("someone@home.example", set.GetProperty("recoveryAddress").GetString());
        Assert.Equal("someone@home.example", untouched.GetProperty("recoveryAddress").GetString());
        Assert.Contains("another address", bad.GetProperty("errors").GetProperty("recoveryAddress").GetString(), StringComparison.Ordinal);
        Assert.False((await host.Accounts.FindMailboxAsync(ApiHost.System, address, CancellationToken.None)).Value!.Disabled); // refused as a whole
        await ApiAssert.ProblemAsync(denied, HttpStatusCode.Forbidden);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, removed.GetProperty("recoveryAddress").ValueKind);
    }

    [Fact]
    public async Task Deleting_a_mailbox_answers_204_and_then_it_is_gone()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, StrongPassword);
        var client = host.AsPlatformAdmin();

        var deleted = await client.DeleteAsync($"/api/v1/mailboxes/{address}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/mailboxes/{address}"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await client.DeleteAsync($"/api/v1/mailboxes/{address}"), HttpStatusCode.NotFound);
    }

    private Task<Outcome<AuthenticatedPrincipal>> SignInAsync(string address, string password) =>
        host.Services.GetRequiredService<CredentialService>().AuthenticateAsync(new LoginAttempt(address, password, Surface.Imap, IPAddress.Loopback), CancellationToken.None);
}
