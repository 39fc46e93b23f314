using System.Net;
using System.Net.Http.Headers;
using Mailstead.Core.Accounts;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Api.Tests;

public sealed class AuthenticationTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_request_without_a_key_gets_401_problem_details_with_a_bearer_challenge()
    {
        var response = await host.Client().GetAsync("/api/v1/domains");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("Bearer", "msk_not-a-key-anyone-was-given")]
    [InlineData("Bearer", "not-even-a-mailstead-key")]
    [InlineData("Basic", "cm9vdEBleGFtcGxlLm5ldDpwYXNzd29yZA==")]
    public async Task A_bad_key_gets_401_with_invalid_token(string scheme, string credentials)
    {
        var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, credentials);

        var response = await client.GetAsync("/api/v1/mailboxes");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_gets_401()
    {
        var response = await host.Client(host.RevokedKey).GetAsync("/api/v1/domains");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_panel_session_cookie_does_not_open_the_api()
    {
        var sessions = host.Services.GetRequiredService<SessionService>();
        var session = await sessions.StartAsync(
            new CredentialOwner(CredentialOwnerKind.Operator, host.PlatformAdmin.Email),
            host.PlatformAdmin.Credential.Epoch,
            Surface.AdminPanel,
            IPAddress.Loopback,
            "tests",
            CancellationToken.None);
        var client = host.Client();
        client.DefaultRequestHeaders.Add("Cookie", "mailstead-admin=" + session.Token);

        var response = await client.GetAsync("/api/v1/domains");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401_before_its_body_is_read()
    {
        var response = await host.Client().PostAsync("/api/v1/mailboxes", new StringContent("{ not json", null, "application/json"));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_malformed_body_with_a_valid_key_gets_400_problem_details()
    {
        var response = await host.AsPlatformAdmin().PostAsync("/api/v1/mailboxes", new StringContent("{ not json", null, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
