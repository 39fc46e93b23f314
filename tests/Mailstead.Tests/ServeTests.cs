namespace Mailstead.Tests;

public sealed class ServeTests : IDisposable
{
    private readonly MailsteadProcess _mailstead = new();

    public void Dispose() => _mailstead.Dispose();

    [Fact]
    public async Task The_first_start_creates_one_administrator_and_prints_the_password_once_then_stops_on_ctrl_c()
    {
        using (var server = _mailstead.StartServer())
        {
            await server.WaitForOutputAsync("HTTP listening on");
            Assert.Contains("Email:    admin@localhost", server.Output, StringComparison.Ordinal);
            Assert.Matches(@"Password: \S{12,}", server.Output);

            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

            Assert.Equal(0, await server.InterruptAsync());
        }

        using (var again = _mailstead.StartServer())
        {
            await again.WaitForOutputAsync("HTTP listening on");
            Assert.DoesNotContain("Password:", again.Output, StringComparison.Ordinal);
            Assert.Equal(0, await again.InterruptAsync());
        }
    }

    [Fact]
    public async Task A_second_server_on_a_mail_port_already_in_use_stops_saying_so_instead_of_sharing_the_port()
    {
        using var first = await _mailstead.StartServerAsync();
        var imaps = first.MailPorts["Imaps"];
        using var other = new MailsteadProcess();
        // Every other endpoint off, so no other port (free a moment ago, maybe another test's now) can be the one refused.
        var others = string.Concat(MailsteadProcess.MailEndpoints.Where(e => e != "Imaps").Append("Http").Append("Https").Select(e => $" --Mailstead:Endpoints:{e}="));
        using var second = other.StartServer($"--Mailstead:Endpoints:Imaps=127.0.0.1:{imaps}{others}");

        Assert.NotEqual(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"IMAP cannot listen on 127.0.0.1:{imaps}: Address already in use", second.Output, StringComparison.Ordinal);
        var listening = await ExternalClient.RunAsync("ss", ["-Hltnp", $"sport = :{imaps}"]);
        Assert.Single(listening.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Https_works_out_of_the_box_with_a_self_signed_certificate_kept_in_the_data_directory()
    {
        using var server = _mailstead.StartServer();
        await server.WaitForOutputAsync("HTTPS listening on");

        System.Security.Cryptography.X509Certificates.X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = server.HttpsAddress };

        Assert.Equal("ok", await https.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.NotNull(seen);
        Assert.True(File.Exists(Path.Combine(_mailstead.DataDirectory, "tls", "self-signed.crt.pem")));
        Assert.Contains("Created a self-signed TLS certificate", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_change_from_the_cli_reaches_the_running_server()
    {
        await _mailstead.RunAsync("domain add example.test");
        await _mailstead.RunAsync("mailbox add alice@example.test");
        using var server = await _mailstead.StartServerAsync();

        var passwd = await _mailstead.RunAsync("mailbox passwd alice@example.test");
        var kick = await _mailstead.RunAsync("session kick alice@example.test");

        Assert.Contains("open sessions in the running server were ended", passwd.Output, StringComparison.Ordinal);
        Assert.Contains("Ended its sessions in the running server", kick.Output, StringComparison.Ordinal);
        await server.WaitForOutputAsync("Revocation from the CLI: alice@example.test SessionsEnded");
        Assert.Contains("Revocation from the CLI: alice@example.test PasswordChanged", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_refuses_to_start()
    {
        using var first = await _mailstead.StartServerAsync();

        using var second = _mailstead.StartServer();
        await second.WaitForOutputAsync("Another Mailstead server is running on this data directory");
    }
}
