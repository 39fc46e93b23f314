using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.AspNetCore.Http;

namespace Mailstead.Web.Infrastructure;

/// <summary>The signed-in session of the surface this request belongs to (set by <see cref="WebSessionMiddleware"/>).</summary>
public sealed record SignedIn(WebSurface Surface, ActiveSession Session, Operator? Operator)
{
    /// <summary>Who acts, for the permission checks in Core: the operator on the admin surface, else the mailbox's user.</summary>
    public Actor Actor => Operator is not null ? new Actor.OperatorActor(Operator) : new Actor.MailboxUser(Session.Session.Login);

    public CredentialOwner Owner => Session.Owner;

    public string Login => Session.Session.Login;
}

/// <summary>Signs people in and out of a web surface: credentials checked by Core, sessions in the database, one cookie per surface.</summary>
public sealed class WebSignIn(CredentialService credentials, SessionService sessions)
{
    public async Task<Outcome<AuthenticatedPrincipal>> SignInAsync(HttpContext http, WebSurface surface, string login, string password)
    {
        var outcome = await credentials.AuthenticateAsync(new LoginAttempt(login, password, surface.Surface, http.Connection.RemoteIpAddress), http.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            // A fresh session id at every sign-in (no fixation): whatever cookie came with the request is replaced.
            await EndCurrentAsync(http, surface).ConfigureAwait(false);
            await StartAsync(http, surface, outcome.Value.Owner, outcome.Value.Epoch).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Starts a session for this browser and sets its cookie (after sign-in, and after a password change rotates it).</summary>
    public async Task StartAsync(HttpContext http, WebSurface surface, CredentialOwner owner, long epoch)
    {
        var issued = await sessions.StartAsync(owner, epoch, surface.Surface, http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent.ToString(), http.RequestAborted).ConfigureAwait(false);
        http.Response.Cookies.Append(surface.CookieName(http.Request.IsHttps), issued.Token, CookieOptions(http));
    }

    public async Task SignOutAsync(HttpContext http, WebSurface surface)
    {
        await EndCurrentAsync(http, surface).ConfigureAwait(false);
        http.Response.Cookies.Delete(surface.CookieName(http.Request.IsHttps), CookieOptions(http));
    }

    private async Task EndCurrentAsync(HttpContext http, WebSurface surface)
    {
        if (http.Features.Get<SignedIn>() is { } current && current.Surface == surface)
        {
            await sessions.EndAsync(current.Owner, current.Session.Session.Id, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}

/// <summary>Finds the session behind the surface's cookie; a dead or unknown one is simply not signed in.</summary>
public sealed class WebSessionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, SessionService sessions, IAccountStore accounts)
    {
        var surface = WebSurface.ForPath(http.Request.Path);
        if (surface is not null && http.Request.Cookies.TryGetValue(surface.CookieName(http.Request.IsHttps), out var token))
        {
            var active = await sessions.ValidateAsync(token, http.RequestAborted).ConfigureAwait(false);
            if (active is not null && active.Session.OwnerKind == surface.OwnerKind && active.Session.Surface == surface.Surface)
            {
                var op = surface.OwnerKind == CredentialOwnerKind.Operator
                    ? await accounts.FindOperatorAsync(active.Session.Login, http.RequestAborted).ConfigureAwait(false)
                    : null;
                http.Features.Set(new SignedIn(surface, active, op));
            }
        }

        await next(http).ConfigureAwait(false);
    }
}
