using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail;

/// <summary>The bench installs nothing: it says what is missing and how to get it.</summary>
internal static class Prerequisites
{
    private static readonly (string Path, string Package)[] Programs =
    [
        ("/usr/sbin/dovecot", "dovecot-core"),
        ("/usr/lib/dovecot/imap", "dovecot-imapd"),
        ("/usr/lib/dovecot/pop3", "dovecot-pop3d"),
        ("/usr/sbin/postfix", "postfix"),
        ("/usr/lib/postfix/sbin/virtual", "postfix"),
    ];

    /// <summary>What is missing, one line each; empty when the bench can run.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("Run as root: Dovecot and Postfix start as root and drop to their own users (dovenull, postfix, nobody).");
        }

        var packages = Programs.Where(p => !File.Exists(p.Path)).Select(p => p.Package).Distinct().ToList();
        if (packages.Count > 0)
        {
            missing.Add($"Install the peers: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {string.Join(' ', packages)}");
        }

        if (!File.Exists(MailsteadServer.Executable))
        {
            missing.Add($"{MailsteadServer.Executable} is not built: run the bench with `dotnet run -c Release --project bench/Mail`, which builds it.");
        }

        return missing;
    }
}
