using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Mailstead.Bench.Mail.Clients;

/// <summary>Just enough IMAP4rev1 (RFC 3501) for the workloads: tagged commands, literals both ways, IDLE (RFC 2177).</summary>
internal sealed partial class ImapClient(Wire wire) : IAsyncDisposable
{
    private int _tag;

    public static async Task<ImapClient> ConnectAsync(int port, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var wire = await Wire.ConnectAsync(port, certificate, cancellationToken).ConfigureAwait(false);
        var greeting = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase))
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw new ProtocolException($"IMAP greeting: {greeting}");
        }

        return new ImapClient(wire);
    }

    public Task LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        CommandAsync($"LOGIN \"{user}\" \"{password}\"", cancellationToken);

    public async Task CommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await wire.WriteLineAsync($"{tag} {command}", cancellationToken).ConfigureAwait(false);
        await ReadReplyAsync(tag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>APPEND with a synchronizing literal (RFC 3501 §7.5): every server takes it, LITERAL+ or not.</summary>
    public async Task AppendAsync(string mailbox, byte[] message, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await wire.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{tag} APPEND {mailbox} (\\Seen) {{{message.Length}}}"), cancellationToken).ConfigureAwait(false);
        var next = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (!next.StartsWith('+'))
        {
            throw new ProtocolException($"APPEND: {next}");
        }

        await wire.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await wire.WriteLineAsync("", cancellationToken).ConfigureAwait(false);
        await ReadReplyAsync(tag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enters IDLE and returns once the server says it is idling; the connection then stays quiet.</summary>
    public async Task IdleAsync(CancellationToken cancellationToken)
    {
        await wire.WriteLineAsync($"{NextTag()} IDLE", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var line = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.StartsWith('+'))
            {
                return;
            }

            if (!line.StartsWith('*'))
            {
                throw new ProtocolException($"IDLE: {line}");
            }
        }
    }

    public ValueTask DisposeAsync() => wire.DisposeAsync();

    private string NextTag() => string.Create(CultureInfo.InvariantCulture, $"a{++_tag}");

    /// <summary>Reads the untagged responses (RFC 3501 §7) up to the tagged one, which must be OK.</summary>
    private async Task ReadReplyAsync(string tag, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                if (!line.AsSpan(tag.Length + 1).StartsWith("OK", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ProtocolException(line);
                }

                return;
            }
        }
    }

    /// <summary>One response line with its literals (RFC 3501 §4.3) skipped, so a FETCH of bodies reads every byte.</summary>
    private async Task<string> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var line = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var response = line;
        while (LiteralAtEnd().Match(line) is { Success: true } literal)
        {
            await wire.SkipAsync(long.Parse(literal.Groups[1].ValueSpan, CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            line = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            response += line;
        }

        return response;
    }

    [GeneratedRegex(@"\{([0-9]+)\+?\}$", RegexOptions.CultureInvariant)]
    private static partial Regex LiteralAtEnd();
}
