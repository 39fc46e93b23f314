using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailstead.Core.Credentials.Hashing;
using Microsoft.Extensions.Options;

namespace Mailstead.Bench.Mail;

/// <summary>
/// What every server gets alike, in one temporary directory: the Maildir, the password and its Argon2id hash made by
/// Mailstead's own <see cref="PasswordHasher"/> at its configured parameters, and one TLS certificate and key.
/// </summary>
internal sealed class Workspace : IDisposable
{
    private readonly bool _keep;

    private Workspace(string root, string password, string passwordHash, X509Certificate2 certificate, bool keep)
    {
        Root = root;
        Password = password;
        PasswordHash = passwordHash;
        Certificate = certificate;
        _keep = keep;
    }

    public string Root { get; }

    /// <summary>The pristine Maildir: Mailstead imports it, Dovecot gets a copy (it renames files as it reads them).</summary>
    public string Maildir => Path.Combine(Root, "maildir");

    public string CertificatePath => Path.Combine(Root, "tls.crt.pem");

    public string KeyPath => Path.Combine(Root, "tls.key.pem");

    public string Password { get; }

    /// <summary><c>{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$…</c>: Dovecot's passwd-file takes it as it is.</summary>
    public string PasswordHash { get; }

    /// <summary>Clients accept exactly this certificate, so a connection to the wrong server fails instead of measuring it.</summary>
    public X509Certificate2 Certificate { get; }

    public static async Task<Workspace> CreateAsync(int messages, bool keep)
    {
        var root = Directory.CreateTempSubdirectory("mailstead-bench-").FullName;
        // The peers drop privileges (dovenull, nobody, postfix) and must walk into their directories under this one.
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        // Not a secret: it lives for one run on loopback. Letters and digits only, so no protocol needs to quote it, and
        // not "bench", which the password policy refuses as part of the address.
        var password = "Pw" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        using var hasher = new PasswordHasher(Options.Create(new HashingOptions()));
        var hash = await hasher.HashAsync(password, CancellationToken.None).ConfigureAwait(false);

        // The same kind of certificate Mailstead makes for itself (ECDSA P-256), used by every server.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var workspace = new Workspace(root, password, hash, X509CertificateLoader.LoadCertificate(created.RawData), keep);
        await File.WriteAllTextAsync(workspace.CertificatePath, created.ExportCertificatePem()).ConfigureAwait(false);
        await File.WriteAllTextAsync(workspace.KeyPath, key.ExportPkcs8PrivateKeyPem()).ConfigureAwait(false);
        Content.WriteMaildir(workspace.Maildir, messages);
        return workspace;
    }

    public string Subdirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public void Dispose()
    {
        Certificate.Dispose();
        if (!_keep)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
