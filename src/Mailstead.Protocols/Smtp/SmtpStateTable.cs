namespace Mailstead.Protocols.Smtp;

/// <summary>Where a session is in RFC 5321 §4.1.4's order of commands.</summary>
internal enum SmtpState
{
    /// <summary>No EHLO/HELO yet (or again after STARTTLS, RFC 3207 §4.2).</summary>
    Connected,
    Greeted,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted: DATA may follow.</summary>
    RecipientsGiven,
}

/// <summary>
/// Which commands each state accepts (RFC 5321 §4.1.4, RFC 3207 §4, RFC 4954 §4); the handlers move the
/// session on. HELO/EHLO, RSET, NOOP, QUIT, VRFY, HELP are accepted everywhere.
/// </summary>
internal static class SmtpStateTable
{
    private static readonly SmtpReply HelloFirst = new(503, "5.5.1", "Send EHLO or HELO first");
    private static readonly SmtpReply MailFirst = new(503, "5.5.1", "Send MAIL FROM first");
    private static readonly SmtpReply InTransaction = new(503, "5.5.1", "Not during a mail transaction; send RSET first");

    /// <summary>Null when <paramref name="verb"/> may be sent in <paramref name="state"/>; otherwise the reply that refuses it.</summary>
    public static SmtpReply? Refusal(SmtpVerb verb, SmtpState state) => (verb, state) switch
    {
        (SmtpVerb.Mail, SmtpState.Connected) => HelloFirst,
        (SmtpVerb.Mail, SmtpState.MailGiven or SmtpState.RecipientsGiven) => new(503, "5.5.1", "Nested MAIL command; send RSET first"),
        (SmtpVerb.Rcpt or SmtpVerb.Data, SmtpState.Connected or SmtpState.Greeted) => MailFirst,

        // RFC 5321 §3.3: DATA after every RCPT was refused gets 503 or 554 "no valid recipients".
        (SmtpVerb.Data, SmtpState.MailGiven) => new(554, "5.5.1", "No valid recipients"),
        (SmtpVerb.StartTls or SmtpVerb.Auth, SmtpState.Connected) => HelloFirst,

        // RFC 4954 §4: "The AUTH command is not permitted during a mail transaction"; RFC 3207 likewise.
        (SmtpVerb.StartTls or SmtpVerb.Auth, SmtpState.MailGiven or SmtpState.RecipientsGiven) => InTransaction,
        _ => null,
    };
}
