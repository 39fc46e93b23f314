using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Infrastructure;

/// <summary>A page anyone may open (the sign-in pages).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PublicPageAttribute : Attribute;

/// <summary>A page a user who must change the password may still open (the password page, sign-out).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowedBeforePasswordChangeAttribute : Attribute;

/// <summary>
/// Every page of a surface needs that surface's session, unless marked <see cref="PublicPageAttribute"/>; a user
/// who must change the password can open nothing but the password page until they do.
/// </summary>
public sealed class SurfaceAccessFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var surface = WebSurface.ForPath(http.Request.Path);
        var pageType = context.HandlerInstance.GetType();
        if (surface is null || pageType.IsDefined(typeof(PublicPageAttribute), inherit: true))
        {
            await next().ConfigureAwait(false);
            return;
        }

        var signedIn = http.Features.Get<SignedIn>();
        if (signedIn is null)
        {
            context.Result = new RedirectResult(surface.LoginPath + "?expired=1");
            return;
        }

        if (signedIn.Session.MustChangePassword && !pageType.IsDefined(typeof(AllowedBeforePasswordChangeAttribute), inherit: true))
        {
            context.Result = new RedirectResult(surface.PasswordPath);
            return;
        }

        await next().ConfigureAwait(false);
    }
}

public static class PageModelExtensions
{
    /// <summary>The session of the page's surface; the access filter guarantees one on non-public pages.</summary>
    public static SignedIn SignedIn(this PageModel page) =>
        page.HttpContext.Features.Get<SignedIn>() ?? throw new InvalidOperationException("This page needs a signed-in session.");

    public static System.Net.IPAddress? ClientAddress(this PageModel page) => page.HttpContext.Connection.RemoteIpAddress;
}
