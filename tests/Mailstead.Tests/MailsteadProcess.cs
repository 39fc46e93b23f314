using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailstead.Tests;

/// <summary>Runs the real <c>mailstead</c> executable built next to these tests, on a data directory of its own.</summary>
public sealed class MailsteadProcess : IDisposable
{
    private static readonly string Executable = FindExecutable();

    public MailsteadProcess()
    {
        DataDirectory = Directory.CreateTempSubdirectory("mailstead-test-").FullName;
    }

    public string DataDirectory { get; }

    public async Task<CliResult> RunAsync(string arguments, string? stdin = null)
    {
        using var process = Start(arguments);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

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

    private Process Start(string arguments)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{Executable}\" {arguments} --Mailstead:DataDirectory={DataDirectory}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start mailstead");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindExecutable()
    {
        // tests/Mailstead.Tests/bin/<Configuration>/net10.0/ → src/Mailstead/bin/<Configuration>/net10.0/mailstead.dll
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Mailstead.slnx")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "Mailstead", "bin", configuration, framework, "mailstead.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (dotnet build Mailstead.slnx).", path);
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>A running <c>mailstead serve</c>; its console output is collected as it comes.</summary>
public sealed class RunningServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    public RunningServer(Process process, Uri baseAddress, Uri httpsAddress, IReadOnlyDictionary<string, int> mailPorts)
    {
        _process = process;
        MailPorts = mailPorts;
        BaseAddress = baseAddress;
        HttpsAddress = httpsAddress;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public Uri HttpsAddress { get; }

    /// <summary>Port of each mail endpoint by its configuration key ("Imap", "Submissions", …), all on 127.0.0.1.</summary>
    public IReadOnlyDictionary<string, int> MailPorts { get; }

    public int Pid => _process.Id;

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits until the console output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"The server did not print \"{text}\". It printed:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Ctrl-C, as a person at the console would stop it.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
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
