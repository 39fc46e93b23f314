using Mailstead.Control;
using Mailstead.Core.Accounts;
using Mailstead.Hosting;
using Mailstead.Storage;

namespace Mailstead.Cli;

/// <summary>Exit codes of the CLI, so scripts can tell failures apart.</summary>
internal enum ExitCode
{
    Ok = 0,
    Failed = 1,
    Invalid = 2,
    NotFound = 3,
    Duplicate = 4,
    Denied = 5,
    PolicyFailed = 6,
}

/// <summary>Runs one CLI command against the same configuration and database as <c>serve</c>.</summary>
internal static class CliRun
{
    public static async Task<int> WithServicesAsync(string[] configurationArgs, Func<IServiceProvider, CliIo, Task<int>> command, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(configurationArgs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Services.AddMailstead(builder.Configuration);
        builder.Services.AddSingleton<ControlSocketClient>();
        using var host = builder.Build();
        try
        {
            await host.Services.MigrateMailsteadDatabaseAsync(cancellationToken).ConfigureAwait(false);
            // Subscribe before the command runs so the revocations it publishes are relayed to a running server
            // (through the control socket) and, with PostgreSQL, to every node (disposing the relay sends them).
            host.Services.GetRequiredService<ControlSocketClient>();
            var relay = ClusterEvents.CreateRelay(host.Services);
            try
            {
                if (relay is not null)
                {
                    await relay.StartAsync(cancellationToken).ConfigureAwait(false);
                }

                return await command(host.Services, new CliIo(System.Console.Out, System.Console.Error, System.Console.In)).ConfigureAwait(false);
            }
            finally
            {
                if (relay is not null)
                {
                    await relay.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await System.Console.Error.WriteLineAsync($"mailstead: {ex.Message}").ConfigureAwait(false);
            return (int)ExitCode.Failed;
        }
    }
}

internal sealed class CliIo(TextWriter output, TextWriter error, TextReader input)
{
    public TextWriter Out => output;

    public int Done(string message, string? generatedPassword = null, bool mustChange = false)
    {
        output.WriteLine(message);
        if (generatedPassword is not null)
        {
            output.WriteLine($"Password: {generatedPassword}");
            output.WriteLine(mustChange
                ? "It is shown only now and must be changed at the first sign-in."
                : "It is shown only now: keep it in a password manager.");
        }

        return (int)ExitCode.Ok;
    }

    public int Fail(Problem problem)
    {
        error.WriteLine($"mailstead: {problem.Message}");
        foreach (var criterion in problem.Policy?.Unmet ?? [])
        {
            error.WriteLine($"  ✗ {criterion.Sentence}");
        }

        return (int)(problem.Kind switch
        {
            ProblemKind.Invalid => ExitCode.Invalid,
            ProblemKind.NotFound => ExitCode.NotFound,
            ProblemKind.Duplicate => ExitCode.Duplicate,
            ProblemKind.Denied => ExitCode.Denied,
            ProblemKind.PolicyFailed => ExitCode.PolicyFailed,
            _ => ExitCode.Failed,
        });
    }

    /// <summary>The first line of standard input, without its line ending; nothing else is trimmed (spaces may be part of it).</summary>
    public async Task<string> ReadPasswordAsync()
    {
        var line = await input.ReadLineAsync().ConfigureAwait(false);
        return line ?? "";
    }
}
