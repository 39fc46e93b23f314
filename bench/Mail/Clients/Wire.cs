using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail.Clients;

/// <summary>
/// A line-oriented client connection (the three protocols are CRLF lines, IMAP adds counted literals): a small
/// buffer over the socket or its <see cref="SslStream"/>. Lines are decoded as Latin-1; the bench only inspects ASCII.
/// </summary>
internal sealed class Wire : IAsyncDisposable
{
    // The longest line the bench accepts: a FETCH ENVELOPE line of a message with many recipients stays far below.
    private const int MaxLineBytes = 1 << 20;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private Wire(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    public static async Task<Wire> ConnectAsync(int port, X509Certificate2? tlsCertificate, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(Loopback.Address, port, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (tlsCertificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = "localhost",
                        // The servers present the bench's own certificate; anything else means a wrong port.
                        RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(tlsCertificate.RawData),
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            return new Wire(socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(line + "\r\n"), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next line without its CRLF.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            line.Append(Encoding.Latin1.GetString(_buffer, _start, stop - _start));
            if (newline >= 0)
            {
                _start = newline + 1;
                return line.ToString().TrimEnd('\r');
            }

            if (line.Length > MaxLineBytes)
            {
                throw new InvalidDataException($"A line longer than {MaxLineBytes} bytes: {line.ToString(0, 80)}…");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes: the bench measures the transfer, not the content.</summary>
    public async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        if (_end == 0)
        {
            throw new EndOfStreamException("The server closed the connection.");
        }
    }
}
