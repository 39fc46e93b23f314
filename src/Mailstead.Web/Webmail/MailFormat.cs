using System.Globalization;
using Mailstead.Core.Mail;
using Mailstead.Core.Mime;

namespace Mailstead.Web.Webmail;

/// <summary>How the webmail writes folder names, senders, sizes and dates.</summary>
public static class MailFormat
{
    /// <summary>The last level of a folder name ("Lists/dev" → "dev"); the level is shown by indentation.</summary>
    public static string FolderLabel(MailFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var slash = folder.Name.LastIndexOf(MailFolder.Delimiter);
        return folder.Name == MailFolder.InboxName ? "Inbox" : slash < 0 ? folder.Name : folder.Name[(slash + 1)..];
    }

    public static int FolderDepth(MailFolder folder) => folder?.Name.Count(c => c == MailFolder.Delimiter) ?? 0;

    public static string FolderIcon(MailFolder folder) => folder?.SpecialUse switch
    {
        SpecialUse.Inbox => "i-inbox",
        SpecialUse.Drafts => "i-file",
        SpecialUse.Sent => "i-send",
        SpecialUse.Junk => "i-alert",
        SpecialUse.Trash => "i-trash",
        SpecialUse.Archive => "i-archive",
        _ => folder?.Name == MailFolder.InboxName ? "i-inbox" : "i-folder",
    };

    /// <summary>The sender's name when there is one, else the address (rows stored before decoding are decoded here).</summary>
    public static string SenderName(string? from)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            return "(no sender)";
        }

        var decoded = EncodedWords.Decode(from);
        var angle = decoded.IndexOf(" <", StringComparison.Ordinal);
        return angle > 0 && decoded.EndsWith('>') ? decoded[..angle].Trim('"', ' ') : decoded;
    }

    /// <summary>Whom a message of one's own went to, as a list shows it: "Bob, Carol +2".</summary>
    public static string RecipientNames(IReadOnlyList<NamedAddress> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return "(no recipient)";
        }

        var names = string.Join(", ", recipients.Take(2).Select(r => string.IsNullOrWhiteSpace(r.DisplayName) ? r.Address : r.DisplayName));
        return recipients.Count > 2 ? $"{names} +{recipients.Count - 2}" : names;
    }

    public static string Subject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? "(no subject)" : EncodedWords.Decode(subject);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => Math.Ceiling(bytes / 1024.0).ToString(CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>UTC, compact: the time today, the day this year, else the full date (the page's script shows local time).</summary>
    public static string ListDate(DateTime utc, DateTime now) =>
        utc.Date == now.Date ? utc.ToString("HH:mm", CultureInfo.InvariantCulture)
        : utc.Year == now.Year ? utc.ToString("d MMM", CultureInfo.InvariantCulture)
        : utc.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
}
