namespace Mailstead.Core.Accounts;

/// <summary>Where a sign-in or a change came from. Stored in audit events by name; do not renumber.</summary>
public enum Surface
{
    Cli = 1,
    Webmail = 2,
    UserPanel = 3,
    AdminPanel = 4,
    Api = 5,
    Imap = 6,
    Pop3 = 7,
    Smtp = 8,
    System = 9,
}

public static class SurfaceExtensions
{
    /// <summary>The admin panel and the API sign in operators; every other surface signs in mailboxes.</summary>
    public static bool SignsInOperators(this Surface surface) => surface is Surface.AdminPanel or Surface.Api;
}
