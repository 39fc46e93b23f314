using System.Diagnostics.CodeAnalysis;

namespace Mailstead.Protocols.Smtp;

/// <summary>
/// One SMTP reply line: the RFC 5321 §4.2 code, the RFC 3463 enhanced status code (RFC 2034: on every reply
/// but the greeting and the answer to EHLO/HELO) and text.
/// </summary>
internal sealed record SmtpReply(int Code, string Status, string Text)
{
    public override string ToString() => Status.Length == 0 ? $"{Code} {Text}" : $"{Code} {Status} {Text}";

    /// <summary>RFC 5321 §4.2.4: 500/501/502/503/504 and RFC 1870's 555 say the client sent something wrong.</summary>
    public bool IsClientError => Code is >= 500 and <= 504 or 555;
}

/// <summary>A parsed value or the reply that refuses it (errors are values, not exceptions).</summary>
internal readonly struct Parsed<T>
{
    private Parsed(T? value, SmtpReply? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public SmtpReply? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator Parsed<T>(T value) => new(value, null);

    public static implicit operator Parsed<T>(SmtpReply error) => new(default, error);
}
