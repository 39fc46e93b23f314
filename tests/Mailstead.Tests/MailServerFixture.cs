namespace Mailstead.Tests;

/// <summary>
/// One running <c>mailstead serve</c> with the domain example.test, shared by the tests of a class. Each test makes
/// mailboxes of its own (<see cref="AddMailboxAsync"/>), so tests that change passwords do not meet.
/// </summary>
public sealed class MailServerFixture : IAsyncLifetime
{
    public const string Domain = "example.test";

    private int _next;

    public MailsteadProcess Mailstead { get; } = new();

    public RunningServer Server { get; private set; } = null!;

    public int Port(string endpoint) => Server.MailPorts[endpoint];

    public async Task InitializeAsync()
    {
        var domain = await Mailstead.RunAsync($"domain add {Domain}");
        Assert.Equal(0, domain.ExitCode);
        Server = await Mailstead.StartServerAsync();
    }

    /// <summary>A new mailbox with a password of its own; returns its address.</summary>
    public async Task<string> AddMailboxAsync(string name, string password)
    {
        var address = $"{name}{Interlocked.Increment(ref _next)}@{Domain}";
        var added = await Mailstead.RunAsync($"mailbox add {address} --password-stdin", password + "\n");
        Assert.True(added.ExitCode == 0, added.Error);
        return address;
    }

    /// <summary>Changes the password from the CLI, as the server's administrator would.</summary>
    public async Task ChangePasswordAsync(string address, string password)
    {
        var changed = await Mailstead.RunAsync($"mailbox passwd {address} --password-stdin", password + "\n");
        Assert.True(changed.ExitCode == 0, changed.Error);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        Mailstead.Dispose();
        return Task.CompletedTask;
    }
}
