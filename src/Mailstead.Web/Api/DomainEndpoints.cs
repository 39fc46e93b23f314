using System.Security.Claims;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mailstead.Web.Api;

public sealed record PolicyOverridesDto(int? MinLength, bool RequireUppercase, bool RequireLowercase, bool RequireDigit, bool RequireSymbol)
{
    public static PolicyOverridesDto From(PasswordPolicyOverrides o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(o.MinLength, o.RequireUppercase, o.RequireLowercase, o.RequireDigit, o.RequireSymbol);
    }

    public PasswordPolicyOverrides ToCore() => new()
    {
        MinLength = MinLength,
        RequireUppercase = RequireUppercase,
        RequireLowercase = RequireLowercase,
        RequireDigit = RequireDigit,
        RequireSymbol = RequireSymbol,
    };
}

public sealed record DomainDto(string Name, bool SelfServiceEnabled, string? AdminContact, PolicyOverridesDto Policy, DateTime CreatedAt)
{
    public static DomainDto From(Domain d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Name, d.SelfServiceEnabled, d.AdminContact, PolicyOverridesDto.From(d.PolicyOverrides), DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc));
    }
}

public sealed record CreateDomainRequest(string Name);

/// <summary>Absent (null) fields keep their value; an empty adminContact clears it; policy replaces the overrides as a whole.</summary>
public sealed record UpdateDomainRequest(bool? SelfServiceEnabled, string? AdminContact, PolicyOverridesDto? Policy);

internal static class DomainEndpoints
{
    public static void MapDomainEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/domains").WithTags("Domains");

        group.MapGet("/", ListAsync)
            .WithName("ListDomains")
            .WithSummary("The domains the operator may manage")
            .Produces<DomainDto[]>();

        group.MapPost("/", CreateAsync)
            .WithName("CreateDomain")
            .WithSummary("Add a domain (platform administrators)")
            .Produces<DomainDto>(StatusCodes.Status201Created)
            .ProducesProblems(400, 403, 409);

        group.MapGet("/{name}", GetAsync)
            .WithName("GetDomain")
            .WithSummary("One domain and its password settings")
            .Produces<DomainDto>()
            .ProducesProblems(400, 403, 404);

        group.MapPatch("/{name}", UpdateAsync)
            .WithName("UpdateDomain")
            .WithSummary("Change the self-service switch, the administrator contact or the policy overrides (platform administrators)")
            .Produces<DomainDto>()
            .ProducesProblems(400, 403, 404);
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var domains = await accounts.ListDomainsAsync(user.Actor(), ct).ConfigureAwait(false);
        return TypedResults.Ok(domains.Select(DomainDto.From).ToArray());
    }

    private static async Task<IResult> CreateAsync(CreateDomainRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var added = await accounts.AddDomainAsync(user.Actor(), request.Name ?? "", Surface.Api, ct).ConfigureAwait(false);
        return added.Succeeded
            ? TypedResults.Created($"/api/v1/domains/{Uri.EscapeDataString(added.Value.Name)}", DomainDto.From(added.Value))
            : added.Problem.ToResult();
    }

    private static async Task<IResult> GetAsync(string name, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var found = await FindAsync(user.Actor(), name, accounts, ct).ConfigureAwait(false);
        return found.Succeeded ? TypedResults.Ok(DomainDto.From(found.Value)) : found.Problem.ToResult();
    }

    private static async Task<IResult> UpdateAsync(string name, UpdateDomainRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var actor = user.Actor();
        var found = await FindAsync(actor, name, accounts, ct).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found.Problem.ToResult();
        }

        var domain = found.Value;
        var updated = await accounts.UpdateDomainAsync(
            actor,
            domain.Name,
            request.SelfServiceEnabled ?? domain.SelfServiceEnabled,
            request.AdminContact ?? domain.AdminContact,
            request.Policy?.ToCore() ?? domain.PolicyOverrides,
            Surface.Api,
            ct).ConfigureAwait(false);
        return updated.Succeeded ? TypedResults.Ok(DomainDto.From(updated.Value)) : updated.Problem.ToResult();
    }

    // AccountService has no single-domain lookup for an actor; its list is already filtered by permission.
    private static async Task<Outcome<Domain>> FindAsync(Actor actor, string name, AccountService accounts, CancellationToken ct)
    {
        if (!DomainName.TryNormalize(name, out var normalized, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var domains = await accounts.ListDomainsAsync(actor, ct).ConfigureAwait(false);
        var domain = domains.FirstOrDefault(d => d.Name == normalized);
        if (domain is not null)
        {
            return domain;
        }

        // Like mailboxes: a refusal for a domain the operator may not manage does not say whether it exists.
        return actor.CanManageDomain(normalized)
            ? new Problem(ProblemKind.NotFound, $"The domain {normalized} is not hosted here.")
            : new Problem(ProblemKind.Denied, $"You may not manage the domain {normalized}.");
    }
}
