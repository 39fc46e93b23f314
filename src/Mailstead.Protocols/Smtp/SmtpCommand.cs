using System.Text;

namespace Mailstead.Protocols.Smtp;

internal enum SmtpVerb
{
    /// <summary>Not a command we know (RFC 5321 §4.2.4: 500).</summary>
    Unknown,

    /// <summary>A line that is not UTF-8 at all.</summary>
    Malformed,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}

/// <summary>A command line split into its verb and the rest (RFC 5321 §4.1.1: verbs are case-insensitive).</summary>
internal sealed record SmtpCommand(SmtpVerb Verb, string Argument)
{
    private static readonly Dictionary<string, SmtpVerb> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HELO"] = SmtpVerb.Helo,
        ["EHLO"] = SmtpVerb.Ehlo,
        ["MAIL"] = SmtpVerb.Mail,
        ["RCPT"] = SmtpVerb.Rcpt,
        ["DATA"] = SmtpVerb.Data,
        ["RSET"] = SmtpVerb.Rset,
        ["NOOP"] = SmtpVerb.Noop,
        ["QUIT"] = SmtpVerb.Quit,
        ["VRFY"] = SmtpVerb.Vrfy,
        ["EXPN"] = SmtpVerb.Expn,
        ["HELP"] = SmtpVerb.Help,
        ["STARTTLS"] = SmtpVerb.StartTls,
        ["AUTH"] = SmtpVerb.Auth,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SmtpCommand Parse(ReadOnlySpan<byte> line)
    {
        string text;
        try
        {
            // RFC 6531 allows UTF-8 in MAIL and RCPT; anything else that is not UTF-8 is no command at all.
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return new SmtpCommand(SmtpVerb.Malformed, "");
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? text : text[..space];
        // Trailing spaces are tolerated: some clients send "QUIT " or "DATA ".
        var argument = space < 0 ? "" : text[(space + 1)..].TrimEnd(' ');
        return new SmtpCommand(Verbs.GetValueOrDefault(verb, SmtpVerb.Unknown), argument);
    }

    /// <summary>The line as the protocol log may show it: never the SASL data of AUTH.</summary>
    public string ForLog() => Verb == SmtpVerb.Auth
        ? "AUTH " + Argument.Split(' ', 2)[0] + (Argument.Contains(' ', StringComparison.Ordinal) ? " ***" : "")
        : Verb is SmtpVerb.Unknown or SmtpVerb.Malformed ? "(unrecognised command)" : $"{Verb.ToString().ToUpperInvariant()} {Argument}";
}
