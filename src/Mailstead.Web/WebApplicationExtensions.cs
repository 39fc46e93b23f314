using Mailstead.Web.Api;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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
