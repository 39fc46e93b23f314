using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailstead.Web.Api;

/// <summary>One line of the policy checklist, as problem details and domain previews show it.</summary>
public sealed record CriterionDto(string Id, string State, string Sentence)
{
    public static CriterionDto From(PolicyCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        return new(criterion.Id, criterion.State switch
        {
            CriterionState.Met => "met",
            CriterionState.Unmet => "unmet",
            _ => "pending",
        }, criterion.Sentence);
    }
}

/// <summary>Core's <see cref="Problem"/> as RFC 9457 problem details.</summary>
internal static class ApiProblems
{
    public static int StatusFor(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => StatusCodes.Status400BadRequest,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Duplicate or ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.Denied or ProblemKind.SelfServiceDisabled => StatusCodes.Status403Forbidden,
        ProblemKind.PolicyFailed => StatusCodes.Status422UnprocessableEntity,
        ProblemKind.Throttled => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleFor(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => "The request is not valid",
        ProblemKind.NotFound => "Not found",
        ProblemKind.Duplicate => "It exists already",
        ProblemKind.Conflict => "Conflict",
        ProblemKind.Denied => "Not permitted",
        ProblemKind.SelfServiceDisabled => "Self-service is switched off",
        ProblemKind.PolicyFailed => "The password does not meet the policy",
        ProblemKind.Throttled => "Too many attempts",
        _ => "Error",
    };

    public static IResult ToResult(this Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var extensions = new Dictionary<string, object?>();
        if (problem.Fields.Count > 0)
        {
            extensions["errors"] = problem.Fields;
        }

        // Every criterion with its state, so a client can show the same checklist the panels show; the failed
        // ones are those with state "unmet".
        if (problem.Policy is { } report)
        {
            extensions["criteria"] = report.Criteria.Select(CriterionDto.From).ToArray();
        }

        if (problem.AdminContact is { } contact)
        {
            extensions["adminContact"] = contact;
        }

        return TypedResults.Problem(
            statusCode: StatusFor(problem.Kind),
            title: TitleFor(problem.Kind),
            detail: problem.Message,
            extensions: extensions);
    }

    public static IResult Invalid(string field, string message) =>
        new Problem(ProblemKind.Invalid, message) { Fields = new Dictionary<string, string> { [field] = message } }.ToResult();

    /// <summary>Declares problem responses in the OpenAPI document; 401 goes on every endpoint of the group.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
