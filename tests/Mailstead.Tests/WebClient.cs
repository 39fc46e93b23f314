using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Mailstead.Tests;

/// <summary>A browser without JavaScript: cookies, no automatic redirects, antiforgery tokens scraped from the form it posts.</summary>
public sealed partial class WebClient : IDisposable
{
    private readonly HttpClient _http;

    public WebClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseAddress,
        };
    }

    public async Task<HttpResponseMessage> GetAsync(string path) => await _http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Opens <paramref name="formPage"/> for its antiforgery token, then posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, params (string Name, string Value)[] fields)
    {
        var token = await TokenFromAsync(formPage);
        using var content = new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("__RequestVerificationToken", token)]);
        return await _http.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>What the live checklist does: JSON with the token in the header.</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string formPage, string action, object body)
    {
        var token = await TokenFromAsync(formPage);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token);
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SignInAsync(string surface, string email, string password) =>
        await PostFormAsync($"/{surface}/login", $"/{surface}/login", ("Email", email), ("Password", password));

    public async Task SignInOrFailAsync(string surface, string email, string password)
    {
        using var response = await SignInAsync(surface, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> TokenFromAsync(string page)
    {
        var html = await GetStringAsync(page);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
