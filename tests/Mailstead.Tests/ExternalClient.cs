using System.Diagnostics;
using System.Text;

namespace Mailstead.Tests;

/// <summary>Runs mail clients nobody here wrote (Python's imaplib/poplib/smtplib, curl) and collects what they print.</summary>
public static class ExternalClient
{
    /// <summary>Runs a Python 3 script; <c>sys.argv[1:]</c> are <paramref name="arguments"/>.</summary>
    public static Task<CliResult> PythonAsync(string script, params string[] arguments) =>
        RunAsync("python3", ["-c", script, .. arguments]);

    public static Task<CliResult> CurlAsync(params string[] arguments) => RunAsync("curl", ["--silent", "--show-error", "--max-time", "30", .. arguments]);

    /// <summary>Starts a Python 3 script and returns at once; its output can be awaited line by line.</summary>
    public static RunningProcess StartPython(string script, params string[] arguments) =>
        new(Process.Start(StartInfo("python3", ["-c", script, .. arguments])) ?? throw new InvalidOperationException("could not start python3"));

    public static Task<CliResult> RunAsync(string program, IEnumerable<string> arguments, string? stdin = null) =>
        RunAsync(StartInfo(program, arguments), stdin);

    /// <summary>Runs to the end (at most 90 s) with <paramref name="stdin"/> as its input.</summary>
    public static async Task<CliResult> RunAsync(ProcessStartInfo info, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        var program = info.FileName;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 90 s. It printed:\n{await output}\n{await error}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Redirected standard streams in UTF-8, unbuffered Python output.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONUNBUFFERED"] = "1";
        return info;
    }
}
