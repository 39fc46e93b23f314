using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Tests.Smtp;

/// <summary>An SMTP session over a loopback socket, driven line by line as a transcript.</summary>
internal sealed class SmtpHarness : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Task _session;
    private Stream _stream;
    private StreamReader _reader;

    private SmtpHarness(TcpClient client, Task session, FakeBackend backend, ListLogger log)
    {
        _client = client;
        _session = session;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
        Backend = backend;
        Log = log;
    }

    public FakeBackend Backend { get; }

    public ListLogger Log { get; }

    public MailConnection Connection { get; private set; } = null!;

    public static async Task<SmtpHarness> StartAsync(SmtpMode mode, ProtocolLimits? limits = null, bool tls = false)
    {
        limits ??= new ProtocolLimits();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        var connection = new MailConnection(accepted, tls ? SslStreamCertificateContext.Create(Certificate.Value, null) : null, limits);
        var backend = new FakeBackend();
        var log = new ListLogger();
        var session = RunAsync(new SmtpSession(connection, mode, backend, limits, new MessageMemory(Options.Create(limits)), "mx.test", log), connection);
        var harness = new SmtpHarness(client, session, backend, log) { Connection = connection };
        Assert.StartsWith("220 mx.test", await harness.ReplyAsync(), StringComparison.Ordinal);
        return harness;
    }

    // As the listener does: the connection is closed when the session ends.
    private static async Task RunAsync(SmtpSession session, MailConnection connection)
    {
        await session.RunAsync();
        await connection.DisposeAsync();
    }

    /// <summary>Sends the bytes exactly as given (pipelined commands, bare line endings).</summary>
    public async Task SendRawAsync(string text)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Sends a command line and returns the reply (all lines of a multi-line one).</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendRawAsync(line + "\r\n");
        return await ReplyAsync();
    }

    public async Task<string> ReplyAsync()
    {
        var reply = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException($"Connection closed after: {reply}");
            reply.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-')
            {
                return reply.ToString().TrimEnd('\n');
            }
        }
    }

    /// <summary>Whether the server closed the connection (after anything still to read).</summary>
    public async Task<bool> ClosedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _reader.ReadLineAsync(timeout.Token) is null;
    }

    /// <summary>STARTTLS from the client side: the TLS handshake over the same socket.</summary>
    public async Task StartTlsAsync()
    {
        // Trust exactly the test certificate.
        var tls = new System.Net.Security.SslStream(_client.GetStream(), leaveInnerStreamOpen: true, (_, presented, _, _) => presented?.GetCertHashString() == Certificate.Value.GetCertHashString());
        await tls.AuthenticateAsClientAsync("mx.test");
        _stream = tls;
        _reader = new StreamReader(tls, Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _session.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mx.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    });
}

/// <summary>
/// One local domain, example.test, with alice (password "secret") and a disabled mailbox; records what was delivered
/// and queued. The submission rules are the real ones (<see cref="MailSubmission"/>) over these in-memory targets.
/// </summary>
internal sealed class FakeBackend : ISmtpBackend, ISubmissionTargets
{
    private readonly Dictionary<string, Mailbox> _mailboxes = new(StringComparer.Ordinal)
    {
        ["alice@example.test"] = NewMailbox(1, "alice@example.test", disabled: false),
        ["bob@example.test"] = NewMailbox(2, "bob@example.test", disabled: false),
        ["gone@example.test"] = NewMailbox(3, "gone@example.test", disabled: true),
    };

    public FakeBackend() =>
        Submission = new MailSubmission(this, Options.Create(new SmtpOptions { Hostname = "mx.test" }), TimeProvider.System, NullLogger<MailSubmission>.Instance);

    public MailSubmission Submission { get; }

    public long MaxMessageBytes { get; set; } = 10_000;

    public int MaxRecipients { get; set; } = 100;

    public string? Postmaster { get; set; }

    public ConcurrentQueue<(string Address, string Message)> Delivered { get; } = new();

    public ConcurrentQueue<OutboundSubmission> Queued { get; } = new();

    /// <summary>Addresses whose mailbox is full already at RCPT.</summary>
    public HashSet<string> Full { get; } = [];

    /// <summary>Addresses whose mailbox fills up after RCPT, so the delivery after DATA fails.</summary>
    public HashSet<string> FillsDuringData { get; } = [];

    public Task<SmtpSignInResult> SignInAsync(string login, string password, MailConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult(login == "alice@example.test" && password == "secret"
            ? new SmtpSignInResult(new SmtpUser(_mailboxes[login], new Registration()), default, "")
            : new SmtpSignInResult(null, SignInFailure.WrongCredentials, "wrong"));

    public Task<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => Task.FromResult(domain == "example.test");

    public Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken) => Task.FromResult(_mailboxes.GetValueOrDefault(address));

    public Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken) =>
        Task.FromResult(Full.Contains(mailbox.Address) ? new Problem(ProblemKind.Denied, "full") : null);

    public Task<Outcome<Appended>> DeliverAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (Full.Contains(mailbox.Address) || FillsDuringData.Contains(mailbox.Address))
        {
            return Task.FromResult<Outcome<Appended>>(new Problem(ProblemKind.Denied, "full"));
        }

        Delivered.Enqueue((mailbox.Address, Encoding.UTF8.GetString(message.Span)));
        return Task.FromResult<Outcome<Appended>>(new Appended(mailbox.Id, 1, Delivered.Count, 1));
    }

    public Task<Outcome<Appended>> StoreSentAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("SMTP clients keep their own copy of sent mail (IMAP APPEND).");

    public Task EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken)
    {
        Queued.Enqueue(submission);
        return Task.CompletedTask;
    }

    private static Mailbox NewMailbox(long id, string address, bool disabled) =>
        new() { Id = id, Address = address, Disabled = disabled, Credential = new Credential { PasswordHash = "" } };

    private sealed class Registration : IDisposable
    {
        public void Dispose()
        {
        }
    }
}

/// <summary>Keeps every formatted log line, to check what the protocol log shows.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue(formatter(state, exception));
}
