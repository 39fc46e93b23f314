using Mailstead.Core.Accounts;
using Microsoft.AspNetCore.Http;

namespace Mailstead.Web.Infrastructure;

/// <summary>What the admin pages share: HTTP status for a Core refusal, and the confirmations shown after a redirect.</summary>
public static class AdminPages
{
    public const int MailboxPageSize = 25;

    public static int StatusFor(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Kind switch
        {
            ProblemKind.Denied => StatusCodes.Status403Forbidden,
            ProblemKind.NotFound => StatusCodes.Status404NotFound,
            ProblemKind.Duplicate or ProblemKind.Conflict => StatusCodes.Status409Conflict,
            ProblemKind.Throttled => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
    }

    /// <summary>
    /// The confirmation for a short key passed in the query after post/redirect/get. The key and the mailbox
    /// address are all the query carries: never a password.
    /// </summary>
    public static string? Confirmation(string? done, string? mailbox)
    {
        var who = mailbox is not null && EmailAddress.TryParse(mailbox, out var address, out _) ? address.Value : "the mailbox";
        return done switch
        {
            "reset" => $"The password of {who} was changed. Every browser session and mail connection of {who} was ended; from now on it signs in with the new password only.",
            "reset-must" => $"The password of {who} was changed and must be changed again at the next sign-in. Every browser session and mail connection of {who} was ended.",
            "created" => $"The mailbox {who} was created.",
            "disabled" => $"{who} was disabled: it can no longer sign in, and every browser session and mail connection of it was ended.",
            "enabled" => $"{who} was enabled and can sign in again.",
            "deleted" => $"{who} was deleted, after its sessions and mail connections were ended.",
            "sessions" => $"Every browser session and mail connection of {who} was ended. Its password did not change.",
            "recovery" => $"The recovery address of {who} was saved. A change of it is always told to the mailbox and to the address it replaces.",
            "recovery-removed" => $"{who} has no recovery address now. A change of it is always told to the mailbox and to the address it replaces.",
            _ => null,
        };
    }
}
