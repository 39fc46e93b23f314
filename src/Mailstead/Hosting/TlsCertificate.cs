using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailstead.Core;

namespace Mailstead.Hosting;

/// <summary>
/// The server's TLS certificate: PEM files from <c>Mailstead:Tls:CertificatePath</c> and <c>KeyPath</c>, or a
/// self-signed one created in the data directory on first start (so HTTPS works out of the box, with a warning).
/// </summary>
internal static class TlsCertificate
{
    public const string CertificatePathKey = "Mailstead:Tls:CertificatePath";
    public const string KeyPathKey = "Mailstead:Tls:KeyPath";

    public static X509Certificate2 Load(IConfiguration configuration, ILogger logger)
    {
        var certificatePath = configuration[CertificatePathKey];
        var keyPath = configuration[KeyPathKey];
        if (!string.IsNullOrEmpty(certificatePath) || !string.IsNullOrEmpty(keyPath))
        {
            if (string.IsNullOrEmpty(certificatePath) || string.IsNullOrEmpty(keyPath))
            {
                throw new InvalidOperationException($"Set both {CertificatePathKey} and {KeyPathKey} (PEM files), or neither for a self-signed certificate.");
            }

            return FromPem(certificatePath, keyPath);
        }

        var directory = Path.Combine(DataDirectory.Resolve(configuration), "tls");
        var generatedCertificate = Path.Combine(directory, "self-signed.crt.pem");
        var generatedKey = Path.Combine(directory, "self-signed.key.pem");
        if (!File.Exists(generatedCertificate) || !File.Exists(generatedKey))
        {
            CreateSelfSigned(directory, generatedCertificate, generatedKey);
            logger.LogWarning("Created a self-signed TLS certificate in {Directory}; set {CertificatePathKey} and {KeyPathKey} to use a real one.", directory, CertificatePathKey, KeyPathKey);
        }

        return FromPem(generatedCertificate, generatedKey);
    }

    private static X509Certificate2 FromPem(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Kestrel on Linux wants the key in a form it can use for every handshake; a PKCS#12 round trip gives that.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            throw new InvalidOperationException($"Cannot load the TLS certificate {certificatePath} with key {keyPath}: {ex.Message}", ex);
        }
    }

    private static void CreateSelfSigned(string directory, string certificatePath, string keyPath)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Environment.MachineName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
