using System.Net.Sockets;
using System.Text;
using Mailstead.Core;
using Mailstead.Core.Credentials;

namespace Mailstead.Control;

/// <summary>
/// A Unix socket in the data directory through which CLI commands reach a running server on the same data
/// (ARCHITECTURE.md §7): a password change or session kick made by the CLI closes the server's live sessions.
/// One JSON revocation per line; the server answers "ok". Access is the file system's: the socket is owner-only.
/// </summary>
internal static class ControlSocket
{
    public const string FileName = "control.sock";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);
}

/// <summary>The server side: publishes what the CLI sends into this process's <see cref="RevocationHub"/>.</summary>
internal sealed class ControlSocketServer : BackgroundService
{
    private readonly RevocationHub _hub;
    private readonly ILogger<ControlSocketServer> _logger;
    private readonly string _path;

    public ControlSocketServer(RevocationHub hub, IConfiguration configuration, ILogger<ControlSocketServer> logger)
    {
        _hub = hub;
        _logger = logger;
        _path = ControlSocket.PathIn(DataDirectory.Resolve(configuration));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_path))
        {
            if (ControlSocketClient.IsServing(_path))
            {
                throw new InvalidOperationException($"Another Mailstead server is running on this data directory ({Path.GetDirectoryName(_path)}). Stop it first, or give this one its own --Mailstead:DataDirectory.");
            }

            File.Delete(_path); // left behind by a server that did not stop cleanly
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_path));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        listener.Listen(16);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                _ = ServeAsync(connection, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            File.Delete(_path);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        try
        {
            while (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue; // a liveness probe
                }

                var revocation = Revocation.Decode(line);
                if (revocation is null)
                {
                    await writer.WriteLineAsync("error malformed message").ConfigureAwait(false);
                    continue;
                }

                _logger.LogInformation("Revocation from the CLI: {Login} {Reason}", revocation.Owner.Login, revocation.Reason);
                _hub.Publish(revocation);
                await writer.WriteLineAsync("ok").ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            _logger.LogDebug(ex, "A control connection ended early");
        }
    }
}

/// <summary>The CLI side: collects this process's revocations and hands them to a running server, if any.</summary>
internal sealed class ControlSocketClient : IDisposable
{
    private readonly List<Revocation> _pending = [];
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private readonly string _path;

    public ControlSocketClient(RevocationHub hub, IConfiguration configuration)
    {
        _path = ControlSocket.PathIn(DataDirectory.Resolve(configuration));
        _subscription = hub.Subscribe(revocation =>
        {
            lock (_gate)
            {
                _pending.Add(revocation);
            }
        });
    }

    public static bool IsServing(string path)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends what was published; true when a running server took it, false when none is running.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        Revocation[] batch;
        lock (_gate)
        {
            batch = [.. _pending];
            _pending.Clear();
        }

        if (batch.Length == 0 || !File.Exists(_path))
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path), timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            foreach (var revocation in batch)
            {
                await writer.WriteLineAsync(revocation.Encode()).ConfigureAwait(false);
                if (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) != "ok")
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
