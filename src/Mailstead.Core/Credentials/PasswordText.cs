using System.Globalization;
using System.Text;

namespace Mailstead.Core.Credentials;

/// <summary>
/// How a password is read: NFC-normalised (NIST SP 800-63B §3.1.1.2), so the same password typed on two
/// keyboards that compose accents differently is the same password; length counted in code points.
/// </summary>
public static class PasswordText
{
    /// <summary>The form that is checked, hashed and compared. Unpaired surrogates are kept for the hasher to refuse.</summary>
    public static string Normalize(string password) =>
        password.IsNormalized(NormalizationForm.FormC) ? password : TryNormalize(password);

    public static int Length(string password) => Normalize(password).EnumerateRunes().Count();

    private static string TryNormalize(string password)
    {
        try
        {
            return password.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return password; // invalid UTF-16: fails later with a clear error rather than here
        }
    }

    internal static string Fold(string text) => Normalize(text).ToLower(CultureInfo.InvariantCulture);
}
