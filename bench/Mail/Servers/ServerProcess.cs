using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>A server started by the bench: its output goes to a log file, and it is stopped the way its makers intend.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Func<Task>? _stop;

    private ServerProcess(Process process, StreamWriter log, Func<Task>? stop)
    {
        _process = process;
        _log = log;
        _stop = stop;
    }

    public int Id => _process.Id;

    public string LogPath { get; private init; } = "";

    /// <summary>Starts <paramref name="program"/>; <paramref name="stop"/> replaces SIGTERM when the started process is only a wrapper.</summary>
    public static ServerProcess Start(string program, IEnumerable<string> arguments, string logPath, Func<Task>? stop = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, stop) { LogPath = logPath };
    }

    /// <summary>Waits until <paramref name="port"/> on loopback accepts connections; fails early, with the log, if the server exits.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} during start; see the logs in {Path.GetDirectoryName(LogPath)}.{Environment.NewLine}{Tail()}");
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(Loopback.Address, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not listen on port {port} within {timeout.TotalSeconds:0} s; see the logs in {Path.GetDirectoryName(LogPath)}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (_stop is null)
            {
                _ = Kill(_process.Id, SigTerm);
            }
            else
            {
                await _stop().ConfigureAwait(false);
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private string Tail() => string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(15));

    private static void Append(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    // .NET's Process can only SIGKILL; servers shut down cleanly (and say so in their logs) on SIGTERM.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
