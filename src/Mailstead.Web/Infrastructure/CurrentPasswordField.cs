namespace Mailstead.Web.Infrastructure;

/// <summary>The "Current password" field of the user's own forms (password change, recovery address): its error and an optional hint.</summary>
public sealed record CurrentPasswordField(string? Error, string? Hint = null);
