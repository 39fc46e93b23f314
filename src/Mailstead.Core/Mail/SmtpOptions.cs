using System.Net;

namespace Mailstead.Core.Mail;

/// <summary><c>Mailstead:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Mailstead:Smtp";

    /// <summary>The name the server gives in its greeting, EHLO answer and Received headers; the machine's host name by default.</summary>
    public string Hostname { get; set; } = Dns.GetHostName();
}
