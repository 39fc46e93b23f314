using System.Globalization;
using System.Text.RegularExpressions;
using Mailstead.Tests;
using Microsoft.Playwright;

namespace Mailstead.Web.Tests.Browser;

/// <summary>
/// One real <c>mailstead serve</c> (on its own data directory and a free port) and one headless Chromium, shared by
/// every browser test; each test signs in with mailboxes of its own, in browser contexts of its own.
/// </summary>
public sealed partial class BrowserFixture : IAsyncLifetime, IDisposable
{
    public const string Domain = "example.test";

    private readonly MailsteadProcess _mailstead = new();
    private RunningServer? _server;
    private IPlaywright? _playwright;
    private int _mailboxes;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _server!.BaseAddress;

    public Uri HttpsAddress => _server!.HttpsAddress;

    /// <summary>The running server; its mail endpoints' ports are <see cref="RunningServer.MailPorts"/>.</summary>
    public RunningServer Server => _server!;

    public static string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable("MAILSTEAD_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var setup = await _mailstead.RunAsync($"domain add {Domain}");
        Assert.True(setup.ExitCode == 0, setup.Error);
        var started = _mailstead.StartServerAsync();
        var launch = Task.Run(async () =>
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
        });
        _server = await started;
        await _server.WaitForOutputAsync("HTTPS listening on", TimeSpan.FromSeconds(60));
        await launch;
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new mailbox created with the CLI while the server runs, as an operator at the console would.</summary>
    public async Task<string> AddMailboxAsync(string password)
    {
        var address = string.Create(CultureInfo.InvariantCulture, $"user{Interlocked.Increment(ref _mailboxes)}@{Domain}");
        await CliAsync($"mailbox add {address} --password-stdin", password + "\n");
        return address;
    }

    /// <summary>Runs the CLI against the server's data directory, asserts it succeeded and returns what it printed.</summary>
    public async Task<string> CliAsync(string arguments, string? stdin = null)
    {
        var result = await _mailstead.RunAsync(arguments, stdin);
        Assert.True(result.ExitCode == 0, $"mailstead {arguments}: {result.Output}{result.Error}");
        return result.Output;
    }

    /// <summary>A fresh browser profile: its own cookies, as another device would have.</summary>
    public async Task<IPage> NewPageAsync(bool https = false, int width = 1100, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (https ? HttpsAddress : BaseAddress).ToString(),
            IgnoreHTTPSErrors = https, // the self-signed certificate serve creates on first start
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>Fills the sign-in form the page shows (any surface's: they share it) and submits it, as a person would.</summary>
    public static async Task SubmitSignInAsync(IPage page, string address, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("Email address").FillAsync(address);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Generous: the first sign-in of a run also warms up the freshly started server on two shared cores.
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 30_000 });
    }

    /// <summary>Saves a full-page screenshot as TestResults/screenshots/&lt;test&gt;-&lt;step&gt;.png and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string test, string step)
    {
        var path = Path.Combine(ScreenshotDirectory, $"{Slug().Replace(test, "-")}-{Slug().Replace(step, "-")}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public string ServerOutput => _server?.Output ?? "";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        _server?.Dispose();
    }

    /// <summary>After <see cref="DisposeAsync"/> (xUnit calls both): the data directory goes last, once the server is gone.</summary>
    public void Dispose() => _mailstead.Dispose();

    [GeneratedRegex("[^A-Za-z0-9_.]+")]
    private static partial Regex Slug();
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Real server and Chromium";
}
