using System.Globalization;

namespace Mailstead.Core.Mime;

// RFC 5322 §3.3 date-time as this server writes it (Date and Received fields):
// always in UTC, whose offset is "+0000".
public static class MessageDate
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("ddd, d MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
