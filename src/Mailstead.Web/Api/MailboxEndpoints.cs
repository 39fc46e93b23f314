using System.Security.Claims;
using Mailstead.Core.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Mailstead.Web.Api;

/// <summary>A mailbox as the API shows it: never the password hash.</summary>
public sealed record MailboxDto(
    string Address,
    string Domain,
    string? DisplayName,
    bool Disabled,
    bool MustChangePassword,
    long CredentialEpoch,
    DateTime PasswordChangedAt,
    long? QuotaBytes,
    DateTime CreatedAt,
    string? RecoveryAddress)
{
    public static MailboxDto From(Mailbox m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(
            m.Address,
            EmailAddress.Parse(m.Address).Domain,
            m.DisplayName,
            m.Disabled,
            m.Credential.MustChange,
            m.Credential.Epoch,
            DateTime.SpecifyKind(m.Credential.ChangedAt, DateTimeKind.Utc),
            m.QuotaBytes,
            DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc),
            m.RecoveryAddress);
    }
}

public sealed record MailboxPageDto(IReadOnlyList<MailboxDto> Items, int Total, int Page, int PageSize);

/// <summary>Without a password, the server generates one that meets the domain's policy.</summary>
public sealed record CreateMailboxRequest(string Address, string? DisplayName, string? Password, bool MustChange = false);

/// <summary><see cref="GeneratedPassword"/> is set only when the server generated it, and is shown only this once.</summary>
public sealed record CreatedMailboxDto(MailboxDto Mailbox, string? GeneratedPassword);

/// <summary>
/// What to change; a property left out (or null) stays as it is. <see cref="RecoveryAddress"/>: another address told of
/// every password change or reset; an empty string removes it.
/// </summary>
public sealed record UpdateMailboxRequest(bool? Disabled, string? RecoveryAddress = null);

internal static class MailboxEndpoints
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    public static void MapMailboxEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/mailboxes").WithTags("Mailboxes");

        group.MapGet("/", SearchAsync)
            .WithName("ListMailboxes")
            .WithSummary("A page of the mailboxes the operator may manage, optionally of one domain and containing some text")
            .Produces<MailboxPageDto>()
            .ProducesProblems(400, 403);

        group.MapPost("/", CreateAsync)
            .WithName("CreateMailbox")
            .WithSummary("Create a mailbox; without a password one is generated and returned once")
            .Produces<CreatedMailboxDto>(StatusCodes.Status201Created)
            .ProducesProblems(400, 403, 404, 409, 422);

        group.MapGet("/{address}", GetAsync)
            .WithName("GetMailbox")
            .WithSummary("One mailbox")
            .Produces<MailboxDto>()
            .ProducesProblems(400, 403, 404);

        group.MapPatch("/{address}", UpdateAsync)
            .WithName("UpdateMailbox")
            .WithSummary("Disable or enable a mailbox (disabling ends its sessions), or set or remove its recovery address (the mailbox and the address it replaces are told)")
            .Produces<MailboxDto>()
            .ProducesProblems(400, 403, 404);

        group.MapDelete("/{address}", DeleteAsync)
            .WithName("DeleteMailbox")
            .WithSummary("Delete a mailbox after ending its sessions")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(400, 403, 404);
    }

    private static async Task<IResult> SearchAsync(
        ClaimsPrincipal user,
        AccountService accounts,
        [FromQuery] string? domain,
        [FromQuery] string? q,
        CancellationToken ct,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = DefaultPageSize)
    {
        if (page < 1)
        {
            return ApiProblems.Invalid("page", "The page is a number from 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            return ApiProblems.Invalid("pageSize", $"The page size is a number from 1 to {MaxPageSize}.");
        }

        var found = await accounts.SearchMailboxesAsync(user.Actor(), domain, q, page, pageSize, ct).ConfigureAwait(false);
        return found.Succeeded
            ? TypedResults.Ok(new MailboxPageDto([.. found.Value.Items.Select(MailboxDto.From)], found.Value.Total, page, pageSize))
            : found.Problem.ToResult();
    }

    private static async Task<IResult> CreateAsync(CreateMailboxRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var created = await accounts.AddMailboxAsync(
            user.Actor(),
            new NewMailbox(request.Address ?? "", request.DisplayName, request.Password, request.MustChange),
            Surface.Api,
            ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Problem.ToResult();
        }

        var mailbox = created.Value.Account;
        return TypedResults.Created(Location(mailbox.Address), new CreatedMailboxDto(MailboxDto.From(mailbox), created.Value.GeneratedPassword));
    }

    private static async Task<IResult> GetAsync(string address, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var found = await accounts.FindMailboxAsync(user.Actor(), address, ct).ConfigureAwait(false);
        return found.Succeeded ? TypedResults.Ok(MailboxDto.From(found.Value)) : found.Problem.ToResult();
    }

    private static async Task<IResult> UpdateAsync(string address, UpdateMailboxRequest request, ClaimsPrincipal user, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var actor = user.Actor();
        var client = http.Connection.RemoteIpAddress;
        // The recovery address first: it is the change that can be refused for its value, before anything is written.
        if (request.RecoveryAddress is { } recovery)
        {
            var set = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(actor, address, recovery, CurrentPassword: null, Surface.Api, client), ct).ConfigureAwait(false);
            if (!set.Succeeded)
            {
                return set.Problem.ToResult();
            }
        }

        var updated = request.Disabled is { } disabled
            ? await accounts.SetMailboxDisabledAsync(actor, address, disabled, Surface.Api, client, ct).ConfigureAwait(false)
            : await accounts.FindMailboxAsync(actor, address, ct).ConfigureAwait(false);
        return updated.Succeeded ? TypedResults.Ok(MailboxDto.From(updated.Value)) : updated.Problem.ToResult();
    }

    private static async Task<IResult> DeleteAsync(string address, ClaimsPrincipal user, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var deleted = await accounts.DeleteMailboxAsync(user.Actor(), address, Surface.Api, http.Connection.RemoteIpAddress, ct).ConfigureAwait(false);
        return deleted.Succeeded ? TypedResults.NoContent() : deleted.Problem.ToResult();
    }

    public static string Location(string address) => "/api/v1/mailboxes/" + Uri.EscapeDataString(address);
}
