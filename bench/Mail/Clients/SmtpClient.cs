using System.Text;

namespace Mailstead.Bench.Mail.Clients;

/// <summary>Just enough SMTP (RFC 5321) to hand messages to an MX: no TLS, no authentication, no pipelining.</summary>
internal sealed class SmtpClient(Wire wire) : IAsyncDisposable
{
    public static async Task<SmtpClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var wire = await Wire.ConnectAsync(port, tlsCertificate: null, cancellationToken).ConfigureAwait(false);
        var client = new SmtpClient(wire);
        try
        {
            await client.ExpectAsync(220, cancellationToken).ConfigureAwait(false);
            await client.CommandAsync("EHLO bench.example.org", 250, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One mail transaction; returns when the server has answered the final "." (with 250, or this throws).</summary>
    public async Task SendAsync(string from, string to, byte[] stuffedMessage, CancellationToken cancellationToken)
    {
        await CommandAsync($"MAIL FROM:<{from}>", 250, cancellationToken).ConfigureAwait(false);
        await CommandAsync($"RCPT TO:<{to}>", 250, cancellationToken).ConfigureAwait(false);
        await CommandAsync("DATA", 354, cancellationToken).ConfigureAwait(false);
        await wire.WriteAsync(stuffedMessage, cancellationToken).ConfigureAwait(false);
        await CommandAsync(".", 250, cancellationToken).ConfigureAwait(false);
    }

    public Task QuitAsync(CancellationToken cancellationToken) => CommandAsync("QUIT", 221, cancellationToken);

    /// <summary>RFC 5321 §4.5.2: a line that starts with "." gets one more; the message must end with CRLF.</summary>
    public static byte[] DotStuff(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        var stuffed = (text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(stuffed.EndsWith("\r\n", StringComparison.Ordinal) ? stuffed : stuffed + "\r\n");
    }

    public ValueTask DisposeAsync() => wire.DisposeAsync();

    private async Task CommandAsync(string command, int expected, CancellationToken cancellationToken)
    {
        await wire.WriteLineAsync(command, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a reply, multi-line ones ("250-…" up to "250 …") included, and checks its code.</summary>
    private async Task ExpectAsync(int expected, CancellationToken cancellationToken)
    {
        string line;
        do
        {
            line = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        while (line.Length > 3 && line[3] == '-');

        if (!line.StartsWith(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            throw new ProtocolException($"expected {expected}, got: {line}");
        }
    }
}
