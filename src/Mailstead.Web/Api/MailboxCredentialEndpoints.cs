using System.Security.Claims;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mailstead.Web.Api;

/// <summary>Without a password, the server generates one that meets the domain's policy.</summary>
public sealed record SetPasswordRequest(string? Password, bool MustChange = false);

/// <summary>The credential epoch now in force; <see cref="GeneratedPassword"/> only when the server generated it, shown once.</summary>
public sealed record PasswordSetDto(long Epoch, string? GeneratedPassword);

public sealed record SessionDto(long Id, string Surface, string? ClientAddress, string? UserAgent, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt)
{
    public static SessionDto From(WebSession s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Surface.ToString(), s.ClientAddress, s.UserAgent, Utc(s.CreatedAt), Utc(s.LastSeenAt), Utc(s.ExpiresAt));
    }

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}

/// <summary>A mailbox's password and sessions: every change goes through <see cref="CredentialService"/>.</summary>
internal static class MailboxCredentialEndpoints
{
    public static void MapMailboxCredentialEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/mailboxes/{address}").WithTags("Mailboxes");

        group.MapPut("/password", SetPasswordAsync)
            .WithName("SetMailboxPassword")
            .WithSummary("Reset a mailbox's password without the current one; ends every session and mail connection of the mailbox")
            .Produces<PasswordSetDto>()
            .ProducesProblems(400, 403, 404, 422);

        group.MapGet("/sessions", ListSessionsAsync)
            .WithName("ListMailboxSessions")
            .WithSummary("The mailbox's signed-in web sessions (live mail connections are not listed yet)")
            .Produces<SessionDto[]>()
            .ProducesProblems(400, 403, 404);

        group.MapDelete("/sessions", EndSessionsAsync)
            .WithName("EndMailboxSessions")
            .WithSummary("End every web session and mail connection of the mailbox, without changing its password")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(400, 403, 404);
    }

    private static async Task<IResult> SetPasswordAsync(string address, SetPasswordRequest? request, ClaimsPrincipal user, CredentialService credentials, HttpContext http, CancellationToken ct)
    {
        var changed = await credentials.ResetPasswordAsync(
            new PasswordResetRequest(user.Actor(), address, request?.Password, request?.MustChange ?? false, Surface.Api, http.Connection.RemoteIpAddress),
            ct).ConfigureAwait(false);
        return changed.Succeeded
            ? TypedResults.Ok(new PasswordSetDto(changed.Value.Epoch, changed.Value.GeneratedPassword))
            : changed.Problem.ToResult();
    }

    private static async Task<IResult> ListSessionsAsync(string address, ClaimsPrincipal user, AccountService accounts, SessionService sessions, CancellationToken ct)
    {
        var actor = user.Actor();

        // SessionService lists sessions of any permitted address, even one with no mailbox; look it up first for a 404.
        var found = await accounts.FindMailboxAsync(actor, address, ct).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found.Problem.ToResult();
        }

        var listed = await sessions.ListForAsync(actor, found.Value.Address, ct).ConfigureAwait(false);
        return listed.Succeeded ? TypedResults.Ok(listed.Value.Select(SessionDto.From).ToArray()) : listed.Problem.ToResult();
    }

    private static async Task<IResult> EndSessionsAsync(string address, ClaimsPrincipal user, CredentialService credentials, HttpContext http, CancellationToken ct)
    {
        var ended = await credentials.EndSessionsAsync(user.Actor(), address, Surface.Api, http.Connection.RemoteIpAddress, ct).ConfigureAwait(false);
        return ended.Succeeded ? TypedResults.NoContent() : ended.Problem.ToResult();
    }
}
