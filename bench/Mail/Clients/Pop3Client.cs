using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Mailstead.Bench.Mail.Clients;

/// <summary>Just enough POP3 (RFC 1939, with UIDL) for the workload.</summary>
internal sealed class Pop3Client(Wire wire) : IAsyncDisposable
{
    public static async Task<Pop3Client> ConnectAsync(int port, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var wire = await Wire.ConnectAsync(port, certificate, cancellationToken).ConfigureAwait(false);
        var client = new Pop3Client(wire);
        try
        {
            await client.StatusAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await wire.WriteLineAsync(command, cancellationToken).ConfigureAwait(false);
        return await StatusAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command whose answer is a multi-line response ended by a lone "." (RFC 1939 §3), read to the end.</summary>
    public async Task MultiLineAsync(string command, CancellationToken cancellationToken)
    {
        await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        while (await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false) != ".")
        {
        }
    }

    /// <summary>The message count from STAT's "+OK count size".</summary>
    public async Task<int> StatAsync(CancellationToken cancellationToken)
    {
        var status = await CommandAsync("STAT", cancellationToken).ConfigureAwait(false);
        return int.Parse(status.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => wire.DisposeAsync();

    private async Task<string> StatusAsync(CancellationToken cancellationToken)
    {
        var line = await wire.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return line.StartsWith("+OK", StringComparison.Ordinal) ? line : throw new ProtocolException(line);
    }
}
