using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mailstead.Protocols.Connections;

/// <summary>Why a read returned without data, or that it has data.</summary>
public enum ReadStatus
{
    Data,

    /// <summary>The client closed its side, or the connection broke.</summary>
    Closed,

    /// <summary>The client sent nothing for the idle timeout.</summary>
    TimedOut,

    /// <summary>The connection must end (password changed, session ended, server stopping): see <see cref="MailConnection.TerminationReason"/>.</summary>
    Terminated,

    /// <summary>The caller's wake-up token fired (IMAP IDLE: something changed in the folder).</summary>
    Woken,
}

/// <summary>How a line read with <see cref="MailConnection.ReadLineAsync"/> ended.</summary>
public enum LineEnding
{
    CrLf,

    /// <summary>A lone LF: tolerated by IMAP and POP3, refused in SMTP DATA (SMTP smuggling, CVE-2023-51764).</summary>
    BareLf,

    /// <summary>The line was longer than allowed; its bytes up to the next LF were discarded.</summary>
    TooLong,
}

public readonly record struct InputRead(ReadStatus Status, ReadOnlySequence<byte> Buffer)
{
    /// <summary>The client sent its last byte: <see cref="Buffer"/> is all there will ever be, so waiting for more would spin.</summary>
    public bool IsCompleted { get; init; }
}

public readonly record struct LineRead(ReadStatus Status, byte[] Line, LineEnding Ending)
{
    public string Text => Encoding.UTF8.GetString(Line);
}

/// <summary>
/// One client connection of a mail listener: the socket, TLS, buffered input and output, idle timeouts and
/// termination. A pump copies what the socket delivers into a <see cref="Pipe"/>, so reads can be abandoned
/// (IDLE, termination) without disturbing the TLS stream. <see cref="StartTlsAsync"/> throws the plaintext buffer
/// away before the handshake, so commands injected behind STARTTLS are never executed (CVE-2011-0411).
/// Only the session that owns the connection reads and writes; others may only call <see cref="Terminate"/>.
/// </summary>
public sealed class MailConnection : IAsyncDisposable
{
    private static readonly TimeSpan FarewellTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HardCloseAfter = TimeSpan.FromSeconds(2);
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly CancellationTokenSource _terminated = new();
    private Stream _stream;
    // Created at the first read, so an implicit-TLS handshake finds the ClientHello still in the socket.
    private Pipe? _input;
    private PipeWriter _output = null!;
    private CancellationTokenSource? _pumpStop;
    private Task _pump = Task.CompletedTask;
    private Timer? _hardClose;
    private string? _terminationReason;
    private int _disposed;

    public MailConnection(Socket socket, SslStreamCertificateContext? certificate, ProtocolLimits limits)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _certificate = certificate;
        Limits = limits;
        var remote = socket.RemoteEndPoint as IPEndPoint;
        ClientAddress = remote?.Address is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : remote?.Address ?? IPAddress.None;
        _network = new NetworkStream(socket, ownsSocket: false);
        _stream = _network;
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public IPAddress ClientAddress { get; }

    public ProtocolLimits Limits { get; }

    public bool IsTls => _stream is SslStream;

    /// <summary>Whether STARTTLS/STLS can be offered: a certificate is configured and TLS is not on yet.</summary>
    public bool CanStartTls => _certificate is not null && !IsTls;

    /// <summary>Cancelled when the connection must end; <see cref="TerminationReason"/> says why.</summary>
    public CancellationToken Terminated => _terminated.Token;

    public string? TerminationReason => Volatile.Read(ref _terminationReason);

    /// <summary>Where responses are written; call <see cref="FlushAsync"/> to send them.</summary>
    public PipeWriter Output => _output;

    /// <summary>
    /// Asks the session to end with <paramref name="reason"/> (it tells the client: IMAP BYE, POP3 -ERR, SMTP 421).
    /// Safe from any thread; never blocks. A session that does not end within two seconds has its socket closed.
    /// </summary>
    public void Terminate(string reason)
    {
        if (Interlocked.CompareExchange(ref _terminationReason, reason, null) is not null)
        {
            return;
        }

        _hardClose = new Timer(_ => _socket.Close(), null, HardCloseAfter, Timeout.InfiniteTimeSpan);
        _terminated.Cancel();
    }

    /// <summary>
    /// Waits for input beyond what was examined. The caller parses <see cref="InputRead.Buffer"/> and must call
    /// <see cref="AdvanceTo(SequencePosition, SequencePosition)"/> before reading again.
    /// </summary>
    public async ValueTask<InputRead> ReadAsync(TimeSpan idleTimeout, CancellationToken wake = default)
    {
        using var idle = new CancellationTokenSource(idleTimeout);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, _terminated.Token, wake);
        try
        {
            if (_input is null)
            {
                StartPump();
            }

            var result = await _input!.Reader.ReadAsync(any.Token).ConfigureAwait(false);
            if (result.Buffer.IsEmpty && result.IsCompleted)
            {
                return new InputRead(ReadStatus.Closed, result.Buffer);
            }

            return new InputRead(ReadStatus.Data, result.Buffer) { IsCompleted = result.IsCompleted };
        }
        catch (OperationCanceledException)
        {
            var status = _terminated.IsCancellationRequested ? ReadStatus.Terminated
                : wake.IsCancellationRequested ? ReadStatus.Woken
                : ReadStatus.TimedOut;
            return new InputRead(status, default);
        }
    }

    public void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _input!.Reader.AdvanceTo(consumed, examined);

    public void AdvanceTo(SequencePosition consumed) => _input!.Reader.AdvanceTo(consumed);

    /// <summary>
    /// One line, without its line ending. A line longer than <paramref name="maxBytes"/> is discarded up to the next
    /// LF and reported as <see cref="LineEnding.TooLong"/>, so the session can answer and stay in step.
    /// </summary>
    public async ValueTask<LineRead> ReadLineAsync(int maxBytes, TimeSpan idleTimeout, CancellationToken wake = default)
    {
        var discarding = false;
        while (true)
        {
            var read = await ReadAsync(idleTimeout, wake).ConfigureAwait(false);
            if (read.Status != ReadStatus.Data)
            {
                return new LineRead(read.Status, [], LineEnding.CrLf);
            }

            var buffer = read.Buffer;
            var lf = buffer.PositionOf((byte)'\n');
            if (lf is null && read.IsCompleted)
            {
                // A partial line and then the end of input: a completed pipe returns at once, so waiting would spin.
                AdvanceTo(buffer.End);
                return new LineRead(ReadStatus.Closed, [], LineEnding.CrLf);
            }

            if (lf is null)
            {
                if (discarding || buffer.Length > maxBytes)
                {
                    discarding = true;
                    AdvanceTo(buffer.End);
                }
                else
                {
                    AdvanceTo(buffer.Start, buffer.End);
                }

                continue;
            }

            var line = buffer.Slice(0, lf.Value);
            var tooLong = discarding || line.Length > maxBytes + 1;
            // Copy before AdvanceTo: advancing hands the segments back to the pipe's pool.
            var bytes = tooLong ? [] : line.ToArray();
            AdvanceTo(buffer.GetPosition(1, lf.Value));
            if (tooLong)
            {
                return new LineRead(ReadStatus.Data, [], LineEnding.TooLong);
            }

            return bytes.Length > 0 && bytes[^1] == '\r'
                ? new LineRead(ReadStatus.Data, bytes[..^1], LineEnding.CrLf)
                : new LineRead(ReadStatus.Data, bytes, LineEnding.BareLf);
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes (an IMAP literal); null when the connection ended first.</summary>
    public async ValueTask<(ReadStatus Status, byte[]? Bytes)> ReadBytesAsync(int count, TimeSpan idleTimeout)
    {
        var bytes = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await ReadAsync(idleTimeout).ConfigureAwait(false);
            if (read.Status != ReadStatus.Data)
            {
                return (read.Status, null);
            }

            var take = read.Buffer.Slice(0, Math.Min(read.Buffer.Length, count - filled));
            take.CopyTo(bytes.AsSpan(filled));
            filled += (int)take.Length;
            AdvanceTo(take.End);
        }

        return (ReadStatus.Data, bytes);
    }

    public void Write(string text) => Encoding.UTF8.GetBytes(text, _output);

    public void WriteLine(string text)
    {
        Write(text);
        _output.Write(CrLf);
    }

    /// <summary>Sends what was written. False when the client is gone or does not take the bytes in time.</summary>
    public async ValueTask<bool> FlushAsync()
    {
        // A client that stops reading must not hold a session forever; a farewell after termination gets a short grace.
        using var timeout = new CancellationTokenSource(TerminationReason is null ? Limits.SendTimeout : FarewellTimeout);
        try
        {
            var result = await _output.FlushAsync(timeout.Token).ConfigureAwait(false);
            AcknowledgeNextInputAtOnce();
            return !result.IsCanceled && !result.IsCompleted;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            return false;
        }
    }

    // A client that sends a request in two writes (an IMAP literal, then its CRLF) holds the second back under Nagle's
    // algorithm until the first is acknowledged, and Linux delays that ACK by up to 40 ms once a connection looks
    // interactive (a reply followed each request): APPEND from Python's imaplib took 45 ms instead of 2. TCP_QUICKACK
    // after each reply acknowledges the next input at once, as Dovecot does. The kernel clears it again by itself.
    private void AcknowledgeNextInputAtOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _socket.SetRawSocketOption(IpProtocolTcp, TcpQuickAck, QuickAckOn);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The socket is closing; the next read or write reports it.
        }
    }

    private const int IpProtocolTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] QuickAckOn = BitConverter.GetBytes(1);

    /// <summary>Writes a line and sends it.</summary>
    public ValueTask<bool> SendLineAsync(string text)
    {
        WriteLine(text);
        return FlushAsync();
    }

    /// <summary>
    /// Switches to TLS: stops reading plaintext and discards whatever the client sent after the command, sends the
    /// go-ahead (<paramref name="sendReady"/>, null for implicit TLS), and performs the handshake (TLS 1.2+ only).
    /// False when the handshake failed; the connection is then unusable.
    /// </summary>
    public async Task<bool> StartTlsAsync(Func<MailConnection, ValueTask<bool>>? sendReady)
    {
        if (_certificate is null || IsTls)
        {
            throw new InvalidOperationException("TLS is not available on this connection.");
        }

        await StopPumpAsync().ConfigureAwait(false);
        if (sendReady is not null && !await sendReady(this).ConfigureAwait(false))
        {
            return false;
        }

        await _output.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_terminated.Token);
        timeout.CancelAfter(Limits.TlsHandshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            _output = PipeWriter.Create(Stream.Null);
            _input = new Pipe();
            await _input.Writer.CompleteAsync().ConfigureAwait(false);
            return false;
        }

        _stream = tls;
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _input = null;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopPumpAsync().ConfigureAwait(false);
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The client is gone; nothing more to send.
        }

        if (_hardClose is not null)
        {
            await _hardClose.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        await _network.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _terminated.Dispose();
        _pumpStop?.Dispose();
    }

    private void StartPump()
    {
        _input = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 4096, useSynchronizationContext: false));
        _pumpStop?.Dispose();
        _pumpStop = new CancellationTokenSource();
        _pump = PumpAsync(_stream, _input.Writer, _pumpStop.Token);
    }

    private async Task StopPumpAsync()
    {
        if (_pumpStop is not null)
        {
            await _pumpStop.CancelAsync().ConfigureAwait(false);
        }

        await _pump.ConfigureAwait(false);
        if (_input is not null)
        {
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
            _input = null;
        }
    }

    private static async Task PumpAsync(Stream stream, PipeWriter writer, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                // A zero-byte read waits for data without holding a buffer, so idle connections (IMAP IDLE) cost
                // next to no memory (as Kestrel does).
                await stream.ReadAsync(Memory<byte>.Empty, stop).ConfigureAwait(false);
                var received = await stream.ReadAsync(writer.GetMemory(4096), stop).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                var flushed = await writer.FlushAsync(stop).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException or AuthenticationException)
        {
            // The client went away, or the pump was stopped for STARTTLS or shutdown: the reader sees the end of input.
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }
}
