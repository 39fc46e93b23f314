using System.Net;
using System.Net.Http.Json;

namespace Mailstead.Api.Tests;

public sealed class AuditAndDocumentTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Password = "correct horse battery staple 42";

    [Fact]
    public async Task The_audit_log_shows_an_api_reset_with_its_surface_and_never_the_password()
    {
        var address = await host.AddMailboxAsync(ApiHost.OwnDomain, Password);
        await ApiAssert.JsonAsync(
            await host.AsPlatformAdmin().PutAsJsonAsync($"/api/v1/mailboxes/{address}/password", new { password = "a quite different passphrase 7" }),
            HttpStatusCode.OK);

        var response = await host.AsPlatformAdmin().GetAsync($"/api/v1/audit?target={address}&action=passwordreset&limit=10");
        var events = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);

        var reset = Assert.Single(events.EnumerateArray());
        Assert.Equal("PasswordReset", reset.GetProperty("action").GetString());
        Assert.Equal("Api", reset.GetProperty("surface").GetString());
        Assert.Equal(host.PlatformAdmin.Email, reset.GetProperty("actor").GetString());
        Assert.DoesNotContain("passphrase", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_administrator_reads_only_their_domains_audit_events()
    {
        var foreign = await host.AddMailboxAsync(ApiHost.ForeignDomain, Password);
        await host.AddMailboxAsync(ApiHost.OwnDomain, Password);

        var theirs = await ApiAssert.JsonAsync(await host.AsAccountAdmin().GetAsync("/api/v1/audit?limit=1000"), HttpStatusCode.OK);
        var filtered = await ApiAssert.JsonAsync(await host.AsAccountAdmin().GetAsync($"/api/v1/audit?target={foreign}"), HttpStatusCode.OK);
        var platform = await ApiAssert.JsonAsync(await host.AsPlatformAdmin().GetAsync($"/api/v1/audit?target={foreign}"), HttpStatusCode.OK);

        Assert.NotEqual(0, theirs.GetArrayLength());
        Assert.All(ApiAssert.Strings(theirs, "domain"), d => Assert.Equal(ApiHost.OwnDomain, d));
        Assert.Equal(0, filtered.GetArrayLength());
        Assert.Equal("MailboxCreated", Assert.Single(platform.EnumerateArray()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task An_unknown_audit_action_is_a_400_problem_naming_the_field()
    {
        var problem = await ApiAssert.ProblemAsync(await host.AsPlatformAdmin().GetAsync("/api/v1/audit?action=teleport"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("action", out _));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_path_and_the_bearer_scheme()
    {
        var document = await ApiAssert.JsonAsync(await host.Client().GetAsync("/api/v1/openapi.json"), HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/v1/domains", "/api/v1/domains/{name}", "/api/v1/mailboxes", "/api/v1/mailboxes/{address}",
            "/api/v1/mailboxes/{address}/password", "/api/v1/mailboxes/{address}/sessions", "/api/v1/audit",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(Assert.Single(document.GetProperty("security").EnumerateArray()).TryGetProperty("bearer", out _));
        var put = paths.GetProperty("/api/v1/mailboxes/{address}/password").GetProperty("put").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "403", "404", "422" })
        {
            Assert.True(put.TryGetProperty(status, out _), $"PUT password documents no {status} response");
        }

        Assert.True(put.GetProperty("422").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }
}
