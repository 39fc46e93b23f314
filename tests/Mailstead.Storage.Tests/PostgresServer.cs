using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mailstead.Storage.Tests;

/// <summary>
/// A private PostgreSQL for the test run: initdb in a temporary directory, a free port on 127.0.0.1, the unix
/// socket beside the data. initdb refuses to run as root, so as root both tools run as the <c>postgres</c> user.
/// Each test takes a fresh database (<see cref="CreateDatabaseAsync"/>), so tests never see each other's rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "mailstead";
    private const string OsUser = "postgres";

    private string _binDirectory = "";
    private string _directory = "";
    private bool _started;

    public int Port { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on PATH. The storage tests run " +
            "against a real PostgreSQL; run ./scripts/test.sh, which installs it (apt-get install postgresql).");

        _directory = Directory.CreateTempSubdirectory("mailstead-pg-").FullName;
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", [$"{OsUser}:{OsUser}", _directory], asPostgres: false).ConfigureAwait(false);
        }

        var data = Path.Combine(_directory, "data");
        await RunAsync(Tool("initdb"), ["-D", data, "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C", "--no-sync"]).ConfigureAwait(false);

        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var options = $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off " +
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            try
            {
                await RunAsync(Tool("pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(_directory, "log"), "-w", "-t", "30", "start"]).ConfigureAwait(false);
                _started = true;
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Creates an empty database with a random name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }

        return $"Host=127.0.0.1;Port={Port};Username={User};Database={name}";
    }

    /// <summary>Closes the pooled connections of a test database and drops it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await RunAsync(Tool("pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        }

        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Directory, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Directory)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunAsync(string program, IReadOnlyList<string> arguments) =>
        RunAsync(program, arguments, asPostgres: Environment.IsPrivilegedProcess);

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Length > 0 ? _directory : Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", OsUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_directory, "log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "";
            throw new InvalidOperationException(
                $"{string.Join(' ', start.ArgumentList.Prepend(start.FileName))} exited with {process.ExitCode}:\n" +
                $"{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}{serverLog}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
