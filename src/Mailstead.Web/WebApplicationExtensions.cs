using Mailstead.Web.Api;
using Mailstead.Web.Infrastructure;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;

namespace Mailstead.Web;

public static class WebApplicationExtensions
{
    /// <summary>The user panel, the admin panel and the API, over the Core services registered elsewhere.</summary>
    public static IServiceCollection AddMailsteadWeb(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.Conventions.ConfigureFilter(new SurfaceAccessFilter()));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "mailstead-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.HeaderName = "RequestVerificationToken";
        });
        // Pages show mail in every script: write it as text, not as numeric character references.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddSingleton<WebSignIn>();
        services.AddMailsteadApi();
        return services;
    }

    public static WebApplication UseMailsteadWeb(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.MapStaticAssets();
        app.UseRouting();
        app.UseMiddleware<WebSessionMiddleware>();
        app.MapMailsteadApi();
        app.MapRazorPages();
        app.MapGet("/", () => Results.Redirect(WebSurface.Account.PathPrefix));
        return app;
    }
}
