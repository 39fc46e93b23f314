using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Mailstead.Web.Tests.InProcess;

/// <summary>
/// One browser against the in-process app: a cookie jar, no automatic redirects, and a record of every response
/// (status, headers, body) so a test can assert that no password ever came back.
/// </summary>
public sealed partial class WebClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly List<string> _transcript = [];

    public WebClient(HttpMessageHandler server, Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new CookieContainerHandler(Cookies) { InnerHandler = server }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Every response so far: status line, headers and body.</summary>
    public string Transcript => string.Join("\n", _transcript);

    public Task<Page> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<Page> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) });

    /// <summary>GETs the form page and posts it as multipart/form-data with its antiforgery token and the files (as a browser uploading).</summary>
    public Task<Page> SubmitWithFilesAsync(string path, (string Name, string Value)[] fields, params (string Name, string FileName, byte[] Content)[] files) =>
        SubmitWithFilesAsync(path, path, fields, files);

    /// <summary>As a button with its own <c>formaction</c>: GETs the form page, posts to <paramref name="action"/>.</summary>
    public async Task<Page> SubmitWithFilesAsync(string path, string action, (string Name, string Value)[] fields, params (string Name, string FileName, byte[] Content)[] files)
    {
        var form = await GetAsync(path);
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Append(("__RequestVerificationToken", form.AntiforgeryToken!)))
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (name, fileName, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), name, fileName);
        }

        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = content });
    }

    public Task<Page> PostJsonAsync<T>(string path, T body, string? antiforgeryToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (antiforgeryToken is not null)
        {
            request.Headers.Add("RequestVerificationToken", antiforgeryToken);
        }

        return SendAsync(request);
    }

    /// <summary>GETs the form page and posts it with its antiforgery token (as a browser submitting the form would).</summary>
    public async Task<Page> SubmitAsync(string path, params (string Name, string Value)[] fields)
    {
        var form = await GetAsync(path);
        var token = form.AntiforgeryToken ?? throw new InvalidOperationException($"{path} has no antiforgery token:\n{form.Body}");
        return await PostFormAsync(path, [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("__RequestVerificationToken", token)]);
    }

    public Task<Page> SignInAsync(string email, string password, string surface = "account") =>
        SubmitAsync($"/{surface}/login", ("Email", email), ("Password", password));

    public Task<Page> ChangePasswordAsync(string current, string next, string? confirmation = null) =>
        SubmitAsync("/account/password", ("CurrentPassword", current), ("NewPassword", next), ("ConfirmPassword", confirmation ?? next));

    public void Dispose() => _http.Dispose();

    private async Task<Page> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var page = new Page(response.StatusCode, response.Headers, response.Content.Headers, body);
            _transcript.Add($"{request.Method} {request.RequestUri} → {(int)response.StatusCode}\n{response.Headers}{response.Content.Headers}\n{body}");
            return page;
        }
    }
}

/// <summary>A response as a test reads it.</summary>
public sealed partial record Page(HttpStatusCode Status, System.Net.Http.Headers.HttpResponseHeaders Headers, System.Net.Http.Headers.HttpContentHeaders ContentHeaders, string Body)
{
    public string? Location => Headers.Location?.OriginalString;

    public IReadOnlyList<string> SetCookies => Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    public string? SetCookie(string name) => SetCookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    public string? AntiforgeryToken => TokenPattern().Match(Body) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """, RegexOptions.None)]
    private static partial Regex TokenPattern();
}
