using Microsoft.Extensions.Configuration;

namespace Mailstead.Core;

/// <summary>Where Mailstead keeps its files (<c>Mailstead:DataDirectory</c>, default <c>./data</c>): database, mail, certificates, control socket.</summary>
public static class DataDirectory
{
    public const string Key = "Mailstead:DataDirectory";

    /// <summary>The absolute path, created if it does not exist yet (owner-only access: it holds credentials).</summary>
    public static string Resolve(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration[Key] is { Length: > 0 } configured ? configured : "data");
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return path;
    }
}
