using System.Net;
using System.Net.Http.Json;

namespace Mailstead.Api.Tests;

public sealed class DomainTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_platform_admin_creates_a_domain_and_then_finds_it_in_the_list()
    {
        var client = host.AsPlatformAdmin();

        var created = await client.PostAsJsonAsync("/api/v1/domains", new { name = "New.Example" });
        var domain = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        var listed = await ApiAssert.JsonAsync(await client.GetAsync("/api/v1/domains"), HttpStatusCode.OK);

        Assert.Equal("new.example", domain.GetProperty("name").GetString());
        Assert.True(domain.GetProperty("selfServiceEnabled").GetBoolean());
        Assert.Equal("/api/v1/domains/new.example", created.Headers.Location?.OriginalString);
        Assert.Contains("new.example", ApiAssert.Strings(listed, "name"));
        Assert.Contains(ApiHost.ForeignDomain, ApiAssert.Strings(listed, "name"));
    }

    [Fact]
    public async Task Creating_a_domain_twice_is_a_409_problem()
    {
        var client = host.AsPlatformAdmin();
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/domains", new { name = "twice.example" }), HttpStatusCode.Created);

        var problem = await ApiAssert.ProblemAsync(await client.PostAsJsonAsync("/api/v1/domains", new { name = "twice.example" }), HttpStatusCode.Conflict);

        Assert.Contains("twice.example", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_admin_patches_a_domains_settings_and_absent_fields_keep_their_value()
    {
        var client = host.AsPlatformAdmin();
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/domains", new { name = "settings.example" }), HttpStatusCode.Created);

        var patched = await ApiAssert.JsonAsync(
            await client.PatchAsJsonAsync("/api/v1/domains/settings.example", new { selfServiceEnabled = false, adminContact = "help@settings.example", policy = new { minLength = 16, requireDigit = true } }),
            HttpStatusCode.OK);
        var again = await ApiAssert.JsonAsync(await client.PatchAsJsonAsync("/api/v1/domains/settings.example", new { adminContact = "desk@settings.example" }), HttpStatusCode.OK);
        var read = await ApiAssert.JsonAsync(await client.GetAsync("/api/v1/domains/settings.example"), HttpStatusCode.OK);

        Assert.False(patched.GetProperty("selfServiceEnabled").GetBoolean());
        Assert.Equal(16, patched.GetProperty("policy").GetProperty("minLength").GetInt32());
        Assert.True(patched.GetProperty("policy").GetProperty("requireDigit").GetBoolean());
        Assert.False(again.GetProperty("selfServiceEnabled").GetBoolean());
        Assert.Equal(16, again.GetProperty("policy").GetProperty("minLength").GetInt32());
        Assert.Equal("desk@settings.example", read.GetProperty("adminContact").GetString());
    }

    [Fact]
    public async Task An_out_of_range_minimum_length_is_a_400_problem_naming_the_field()
    {
        var client = host.AsPlatformAdmin();

        var problem = await ApiAssert.ProblemAsync(
            await client.PatchAsJsonAsync($"/api/v1/domains/{ApiHost.OwnDomain}", new { policy = new { minLength = 0 } }),
            HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("minLength", out _));
    }

    [Fact]
    public async Task An_account_administrator_sees_only_their_domains_and_may_not_create_or_change_one()
    {
        var client = host.AsAccountAdmin();

        var listed = await ApiAssert.JsonAsync(await client.GetAsync("/api/v1/domains"), HttpStatusCode.OK);
        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/domains/{ApiHost.ForeignDomain}"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.PostAsJsonAsync("/api/v1/domains", new { name = "mine.example" }), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/v1/domains/{ApiHost.OwnDomain}", new { selfServiceEnabled = false }), HttpStatusCode.Forbidden);

        Assert.Equal([ApiHost.OwnDomain], ApiAssert.Strings(listed, "name"));
        var own = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/domains/{ApiHost.OwnDomain}"), HttpStatusCode.OK);
        Assert.True(own.GetProperty("selfServiceEnabled").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_domain_is_a_404_problem()
    {
        await ApiAssert.ProblemAsync(await host.AsPlatformAdmin().GetAsync("/api/v1/domains/nowhere.example"), HttpStatusCode.NotFound);
    }
}
