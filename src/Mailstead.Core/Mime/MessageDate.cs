using System.Globalization;

namespace Mailstead.Core.Mime;

// RFC 5322 §3.3 date-time: as this server writes it (Date and Received fields, always in UTC, whose offset is
// "+0000"), and as messages carry it.
public static class MessageDate
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("ddd, d MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>A Date field's value; null when it is not a date. The comment some mailers add ("+0200 (CEST)") is ignored.</summary>
    public static DateTimeOffset? Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var paren = value.IndexOf('(', StringComparison.Ordinal);
        var text = paren > 0 ? value[..paren].Trim() : value.Trim();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed) ? parsed : null;
    }
}
