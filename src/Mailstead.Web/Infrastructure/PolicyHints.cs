using Mailstead.Core.Credentials;

namespace Mailstead.Web.Infrastructure;

/// <summary>The policy's composition rules as the presence attributes the browser-side generator reads (password.js).</summary>
public static class PolicyHints
{
    public static string Attributes(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return string.Join(' ', new[]
        {
            policy.RequireUppercase ? "data-require-upper" : null,
            policy.RequireLowercase ? "data-require-lower" : null,
            policy.RequireDigit ? "data-require-digit" : null,
            policy.RequireSymbol ? "data-require-symbol" : null,
        }.OfType<string>());
    }
}
