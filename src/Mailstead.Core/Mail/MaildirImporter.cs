using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;

namespace Mailstead.Core.Mail;

public sealed record MaildirImportReport(int Imported, int Skipped, int Failed, IReadOnlyList<string> Folders, string? FirstFailure);

/// <summary>
/// Imports a Dovecot/Courier Maildir++ tree (<c>mailstead mailbox import</c>): the root's <c>cur/</c> and
/// <c>new/</c> are INBOX, <c>.Sub.Folder</c> directories are folder "Sub/Folder". Flags come from the info
/// suffix (<c>:2,DFRST</c>, https://cr.yp.to/proto/maildir.html), the internal date from the file's mtime.
/// Each message is remembered by folder and unique name, so a second run imports nothing twice.
/// </summary>
public sealed class MaildirImporter(IAccountStore accounts, MessageStore messages)
{
    private static readonly string[] MessageDirectories = ["cur", "new"];

    public async Task<Outcome<MaildirImportReport>> ImportAsync(string address, string maildir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(maildir);
        if (!EmailAddress.TryParse(address, out var parsed, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var mailbox = await accounts.FindMailboxAsync(parsed.Value, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            return new Problem(ProblemKind.NotFound, $"There is no mailbox {parsed.Value}. Create it first (mailstead mailbox add {parsed.Value}).");
        }

        var root = Path.GetFullPath(maildir);
        if (!Directory.Exists(root))
        {
            return new Problem(ProblemKind.Invalid, $"The directory {root} does not exist.");
        }

        if (!IsMaildir(root) && !Directory.EnumerateDirectories(root, ".*").Any(IsMaildir))
        {
            return new Problem(ProblemKind.Invalid, $"{root} is not a Maildir: it has no cur/ or new/ directory.");
        }

        await messages.Metadata.EnsureDefaultFoldersAsync(mailbox.Id, cancellationToken).ConfigureAwait(false);
        int imported = 0, skipped = 0, failed = 0;
        string? firstFailure = null;
        var folders = new List<string>();
        foreach (var (directory, folder) in Folders(root))
        {
            folders.Add(folder);
            foreach (var file in Messages(directory))
            {
                var name = Path.GetFileName(file);
                var (unique, flags) = ParseName(name, inNew: Path.GetFileName(Path.GetDirectoryName(file)) == "new");
                var key = ImportKey(folder, unique);
                if (await messages.Metadata.HasImportedAsync(mailbox.Id, key, cancellationToken).ConfigureAwait(false))
                {
                    skipped++;
                    continue;
                }

                var body = ToCrlf(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
                var stored = await messages.DeliverAsync(
                    mailbox,
                    new NewMessage(body) { Folder = folder, Flags = flags, InternalDate = File.GetLastWriteTimeUtc(file), ImportKey = key },
                    createFolder: true,
                    cancellationToken).ConfigureAwait(false);
                if (stored.Succeeded)
                {
                    imported++;
                }
                else
                {
                    failed++;
                    firstFailure ??= $"{file}: {stored.Problem.Message}";
                }
            }
        }

        return new MaildirImportReport(imported, skipped, failed, folders, firstFailure);
    }

    private static bool IsMaildir(string directory) =>
        Directory.Exists(Path.Combine(directory, "cur")) || Directory.Exists(Path.Combine(directory, "new"));

    /// <summary>The root as INBOX, then each Maildir++ subfolder (".A.B" → "A/B"; ".INBOX.A" → "INBOX/A").</summary>
    private static IEnumerable<(string Directory, string Folder)> Folders(string root)
    {
        if (IsMaildir(root))
        {
            yield return (root, MailFolder.InboxName);
        }

        foreach (var sub in Directory.EnumerateDirectories(root, ".*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub)[1..];
            if (name.Length == 0 || name == "." || !IsMaildir(sub))
            {
                continue;
            }

            yield return (sub, name.Replace('.', MailFolder.Delimiter));
        }
    }

    // Only cur/ and new/: tmp/ holds deliveries that never finished; dot files (dovecot-uidlist, dovecot.index*,
    // dovecot-keywords, subscriptions) live in the folder directory itself and are never read.
    private static IEnumerable<string> Messages(string folder) =>
        MessageDirectories
            .Select(d => Path.Combine(folder, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));

    internal static (string Unique, MessageFlags Flags) ParseName(string name, bool inNew)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // Some tools use '!' or ';' where ':' is not allowed in file names; Dovecot's default is ':'.
            colon = name.IndexOf(";2,", StringComparison.Ordinal);
        }

        var unique = colon < 0 ? name : name[..colon];
        var flags = SystemFlags.None;
        if (!inNew && colon >= 0 && name.AsSpan(colon + 1).StartsWith("2,"))
        {
            foreach (var c in name.AsSpan(colon + 3))
            {
                flags |= c switch
                {
                    'D' => SystemFlags.Draft,
                    'F' => SystemFlags.Flagged,
                    'R' => SystemFlags.Answered,
                    'S' => SystemFlags.Seen,
                    'T' => SystemFlags.Deleted,
                    _ => SystemFlags.None, // 'P' (passed) has no IMAP flag; a-z are Dovecot keywords, not imported yet.
                };
            }
        }

        return (unique, MessageFlags.Of(flags));
    }

    private static string ImportKey(string folder, string unique)
    {
        var key = $"maildir:{folder}/{unique}";
        return key.Length <= 200 ? key : "maildir-sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Maildir files end lines with LF; IMAP and SMTP speak CRLF (RFC 5322 §2.1), so the store keeps CRLF.</summary>
    internal static byte[] ToCrlf(byte[] body)
    {
        var bare = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r'))
            {
                bare++;
            }
        }

        if (bare == 0)
        {
            return body;
        }

        var result = new byte[body.Length + bare];
        var j = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r'))
            {
                result[j++] = (byte)'\r';
            }

            result[j++] = body[i];
        }

        return result;
    }
}
