using System.Net;

namespace Mailstead.Hosting;

/// <summary>Where a listener binds, from an endpoint setting such as <c>http://127.0.0.1:8080</c> or <c>127.0.0.1:1143</c>.</summary>
internal static class ListenAddress
{
    /// <summary>The endpoint, or null when the setting is empty (the listener is off).</summary>
    public static IPEndPoint? Parse(string? setting, string key)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }

        var text = setting.Contains("://", StringComparison.Ordinal) ? setting : "tcp://" + setting;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new InvalidOperationException($"{key} is '{setting}': write an address and port, e.g. 127.0.0.1:8080 or [::]:8443.");
        }

        var host = uri.Host.Trim('[', ']');
        var address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out var ip) => ip,
            _ => throw new InvalidOperationException($"{key} is '{setting}': use an IP address (or localhost), not a host name."),
        };
        return new IPEndPoint(address, uri.Port);
    }
}
