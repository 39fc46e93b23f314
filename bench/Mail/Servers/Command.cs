using System.Diagnostics;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>One-shot commands of the setup (the Mailstead CLI, postfix stop, chown); a failure stops the bench with its output.</summary>
internal static class Command
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{program} {string.Join(' ', start.ArgumentList)}` exited with {process.ExitCode}: {output}{await error.ConfigureAwait(false)}");
        }

        return output;
    }
}
