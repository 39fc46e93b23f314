using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailstead.Tests;

/// <summary>Runs the real <c>mailstead</c> executable built next to these tests, on a data directory of its own.</summary>
public sealed partial class MailsteadProcess : IDisposable
{
    // Static initialisers run in this order: the root first, the executable found from it.
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string Executable = FindExecutable();

    public MailsteadProcess()
    {
        DataDirectory = Directory.CreateTempSubdirectory("mailstead-test-").FullName;
    }

    public string DataDirectory { get; }

    /// <summary>The checkout these tests were built from (where Mailstead.slnx is).</summary>
    public static string RepositoryRoot => Root;

    public Task<CliResult> RunAsync(string arguments, string? stdin = null) => ExternalClient.RunAsync(StartInfo(arguments), stdin);

    /// <summary>Starts <c>serve</c> with every listener on a free port of its own, so tests run side by side.</summary>
    public RunningServer StartServer(string extraArguments = "")
    {
        var port = FreePort();
        var httpsPort = FreePort();
        var mailPorts = MailEndpoints.ToDictionary(key => key, _ => FreePort());
        var mailArguments = string.Concat(mailPorts.Select(p => $" --Mailstead:Endpoints:{p.Key}=127.0.0.1:{p.Value}"));
        var process = Start($"serve --Mailstead:Endpoints:Http=http://127.0.0.1:{port} --Mailstead:Endpoints:Https=https://127.0.0.1:{httpsPort}{mailArguments} {extraArguments}");
        return new RunningServer(process, new Uri($"http://127.0.0.1:{port}"), new Uri($"https://127.0.0.1:{httpsPort}"), mailPorts);
    }

    /// <summary>
    /// Starts <c>serve</c> and waits until it listens. A free port can be taken by another test's server between the
    /// probe and the bind; then the server stops at once saying so, and this tries again on other ports.
    /// </summary>
    public async Task<RunningServer> StartServerAsync(string extraArguments = "")
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = StartServer(extraArguments);
            try
            {
                await server.WaitForOutputAsync("HTTP listening on", TimeSpan.FromSeconds(60));
                return server;
            }
            catch (TimeoutException) when (attempt < 3 && server.HasExited && PortTaken().IsMatch(server.Output))
            {
                server.Dispose();
            }
        }
    }

    /// <summary>The mail endpoints of ARCHITECTURE.md §6 (<c>Mailstead:Endpoints:&lt;key&gt;</c>).</summary>
    public static IReadOnlyList<string> MailEndpoints { get; } = ["Smtp", "Submission", "Submissions", "Imap", "Imaps", "Pop3", "Pop3s"];

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold a file for a moment; the OS cleans temp later.
        }
    }

    /// <summary>The command line that runs the CLI on this data directory, for a client script that calls it itself.</summary>
    public IReadOnlyList<string> CommandLine(params string[] arguments) => ["dotnet", Executable, .. arguments, $"--Mailstead:DataDirectory={DataDirectory}"];

    private Process Start(string arguments) => Process.Start(StartInfo(arguments)) ?? throw new InvalidOperationException("could not start mailstead");

    private ProcessStartInfo StartInfo(string arguments)
    {
        var info = ExternalClient.StartInfo("dotnet", []);
        info.Arguments = $"\"{Executable}\" {arguments} --Mailstead:DataDirectory={DataDirectory}";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Kestrel's "address already in use" and the mail listeners' "cannot listen on".
    [System.Text.RegularExpressions.GeneratedRegex("address already in use|cannot listen on", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex PortTaken();

    private static string FindRepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Mailstead.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string FindExecutable()
    {
        // tests/Mailstead.Tests/bin/<Configuration>/net10.0/ → src/Mailstead/bin/<Configuration>/net10.0/mailstead.dll
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot, "src", "Mailstead", "bin", testBin.Parent!.Name, testBin.Name, "mailstead.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (dotnet build Mailstead.slnx).", path);
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>A running program whose console output (stdout and stderr) is collected as it comes.</summary>
public class RunningProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    public RunningProcess(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Process = process;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => Process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => Process.HasExited;

    public int ExitCode => Process.ExitCode;

    protected Process Process { get; }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited)
            {
                // What it printed last may still be on its way through the pipe: the parameterless wait drains it.
                Process.WaitForExit();
                if (Output.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline || Process.HasExited)
            {
                throw new TimeoutException($"{Process.StartInfo.FileName} did not print \"{text}\". It printed:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await Process.WaitForExitAsync(cancel.Token);
        return Process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to clean up, as in a crash or a power cut.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (!Process.HasExited)
        {
            Kill();
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>A running <c>mailstead serve</c>.</summary>
public sealed class RunningServer(Process process, Uri baseAddress, Uri httpsAddress, IReadOnlyDictionary<string, int> mailPorts) : RunningProcess(process)
{
    public Uri BaseAddress { get; } = baseAddress;

    public Uri HttpsAddress { get; } = httpsAddress;

    /// <summary>Port of each mail endpoint by its configuration key ("Imap", "Submissions", …), all on 127.0.0.1.</summary>
    public IReadOnlyDictionary<string, int> MailPorts { get; } = mailPorts;

    /// <summary>
    /// For a failure message: whether the server still runs and which process listens on each of
    /// <paramref name="endpoints"/>' ports (a client that met the wrong server shows up here).
    /// </summary>
    public async Task<string> DescribeAsync(params string[] endpoints)
    {
        var state = HasExited ? $"The server (pid {Pid}) exited with code {ExitCode}." : $"The server (pid {Pid}) is running.";
        var listeners = new StringBuilder();
        foreach (var endpoint in endpoints)
        {
            var port = MailPorts[endpoint].ToString(System.Globalization.CultureInfo.InvariantCulture);
            string listening;
            try
            {
                listening = (await ExternalClient.RunAsync("ss", ["-Hltnp", $"sport = :{port}"])).Output.Trim() is { Length: > 0 } line ? line : "nothing listens";
            }
            catch (System.ComponentModel.Win32Exception)
            {
                listening = "not known (ss, from iproute2, is not installed)";
            }

            listeners.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{endpoint} port {port}: {listening}");
        }

        return $"{state}\n{listeners}";
    }

    /// <summary>Ctrl-C, as a person at the console would stop it.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }
}
