using System.Security.Claims;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Mailstead.Web.Api;

public sealed record AuditEventDto(
    long Id,
    DateTime At,
    string Action,
    string Outcome,
    string Actor,
    string? Target,
    string? Domain,
    string Surface,
    string? ClientAddress,
    string? Detail)
{
    public static AuditEventDto From(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.Action.ToString(), e.Outcome.ToString(), e.Actor, e.Target, e.Domain, e.Surface.ToString(), e.ClientAddress, e.Detail);
    }
}

internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync)
            .WithTags("Audit")
            .WithName("ListAudit")
            .WithSummary("Recent audit events, newest first: all of them for a platform administrator, their domains' for an account administrator")
            .Produces<AuditEventDto[]>()
            .ProducesProblems(400, 403);
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user,
        AccountService accounts,
        [FromQuery] string? target,
        [FromQuery] string? action,
        [FromQuery] string? domain,
        CancellationToken ct,
        [FromQuery] int limit = 100)
    {
        AuditAction? parsedAction = null;
        if (!string.IsNullOrEmpty(action))
        {
            if (!Enum.TryParse<AuditAction>(action, ignoreCase: true, out var a) || !Enum.IsDefined(a))
            {
                return ApiProblems.Invalid("action", "Use one of: " + string.Join(", ", Enum.GetNames<AuditAction>()) + ".");
            }

            parsedAction = a;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.Invalid("limit", $"The limit is a number from 1 to {MaxLimit}.");
        }

        string[]? domains = null;
        if (!string.IsNullOrEmpty(domain))
        {
            if (!DomainName.TryNormalize(domain, out var normalized, out var error))
            {
                return ApiProblems.Invalid("domain", error);
            }

            domains = [normalized];
        }

        var query = new AuditQuery
        {
            Target = string.IsNullOrWhiteSpace(target) ? null : target.Trim(),
            Action = parsedAction,
            Domains = domains,
            Limit = limit,
        };
        var events = await accounts.ListAuditAsync(user.Actor(), query, ct).ConfigureAwait(false);
        return events.Succeeded ? TypedResults.Ok(events.Value.Select(AuditEventDto.From).ToArray()) : events.Problem.ToResult();
    }
}
