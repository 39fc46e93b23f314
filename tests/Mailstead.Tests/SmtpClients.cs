using System.Diagnostics;

namespace Mailstead.Tests;

/// <summary>Mail clients nobody here wrote, for the SMTP tests: Python's smtplib (and raw sockets) and curl.</summary>
internal static class SmtpClients
{
    /// <summary>Runs a Python 3 script with arguments; returns what it printed.</summary>
    public static async Task<string> PythonAsync(string script, params object[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mailstead-smtp-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var result = await RunAsync("python3", [file, .. arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!)]);
            Assert.True(result.ExitCode == 0, $"python3 failed:\n{result.Output}\n{result.Error}");
            return result.Output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Sends <paramref name="message"/> with curl; returns the exit code and curl's error output.</summary>
    public static async Task<CliResult> CurlAsync(string url, string message, params string[] options)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mailstead-smtp-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(file, message);
        try
        {
            return await RunAsync("curl", ["-sS", "--max-time", "30", url, "-T", file, .. options]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<CliResult> RunAsync(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
