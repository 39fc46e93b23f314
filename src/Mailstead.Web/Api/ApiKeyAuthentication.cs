using System.Security.Claims;
using System.Text.Encodings.Web;
using Mailstead.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mailstead.Web.Api;

/// <summary>The operator an API key belongs to, as the request's identity.</summary>
public sealed class OperatorIdentity(Operator op) : ClaimsIdentity([new Claim(ClaimTypes.Name, op.Email)], ApiKeyAuthentication.SchemeName)
{
    public Operator Operator { get; } = op;
}

/// <summary>
/// <c>Authorization: Bearer msk_…</c> (RFC 6750 §2.1), checked by <see cref="ApiKeyService"/>. This is the only
/// way into /api: cookies are never read there, so the API has no cross-site request forgery surface.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MailsteadApiKey";

    public const string PolicyName = "MailsteadApi";

    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        // The auth-scheme is case-insensitive (RFC 9110 §11.1).
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header is not a bearer key.");
        }

        var op = await keys.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        return op is null
            ? AuthenticateResult.Fail("The API key is unknown, revoked, or its operator is disabled.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new OperatorIdentity(op)), SchemeName));
    }

    /// <summary>401 as problem details, with the challenge RFC 6750 §3 asks for (error="invalid_token" when a key was sent).</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var sentKey = result.Failure is not null;
        Response.Headers[HeaderNames.WWWAuthenticate] = sentKey ? "Bearer realm=\"mailstead\", error=\"invalid_token\"" : "Bearer realm=\"mailstead\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required",
            detail: sentKey
                ? "The API key is not valid: it is unknown, revoked, or its operator is disabled."
                : "Send an operator API key as 'Authorization: Bearer msk_…'. Keys are created in the admin panel under API keys.")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }
}

internal static class ApiCaller
{
    /// <summary>The acting operator; the group's authorization policy guarantees one.</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        user.Identity is OperatorIdentity identity
            ? new Actor.OperatorActor(identity.Operator)
            : throw new InvalidOperationException("API endpoints need an authenticated operator.");
}
