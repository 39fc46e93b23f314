using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailstead.Web.Api;

/// <summary>The HTTP API under /api/v1: the admin panel's operations as JSON, for operators' API keys.</summary>
public static class MailsteadApi
{
    public const string Prefix = "/api/v1";

    public const string DocumentName = "v1";

    public static IServiceCollection AddMailsteadApi(this IServiceCollection services)
    {
        // Not the default scheme: the panels keep their own cookie sessions, and this handler runs only for the API.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder().AddPolicy(
            ApiKeyAuthentication.PolicyName,
            policy => policy.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());

        // The base handler logs every challenge at Information under our namespace; quiet like Microsoft.AspNetCore.
        services.AddLogging(logging => logging.AddFilter(typeof(ApiKeyAuthentication).FullName, LogLevel.Warning));
        services.AddProblemDetails();
        services.AddOpenApi(DocumentName, ApiDocument.Configure);
        return services;
    }

    /// <summary>
    /// Maps the endpoints and the OpenAPI document. Call after <c>UseRouting</c>: it also adds the authentication
    /// and authorization middleware, which must see the selected endpoint and run before its body is read, so
    /// a request without a valid key gets 401 whatever it sends.
    /// </summary>
    public static WebApplication MapMailsteadApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Errors that leave no body (a malformed JSON body, an unknown path under /api) become problem details too;
        // the panels keep their own error pages.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase), api => api.UseStatusCodePages());
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup(Prefix).RequireAuthorization(ApiKeyAuthentication.PolicyName);
        api.MapDomainEndpoints();
        api.MapMailboxEndpoints();
        api.MapMailboxCredentialEndpoints();
        api.MapAuditEndpoints();
        api.ProducesProblem(StatusCodes.Status401Unauthorized);

        app.MapOpenApi("/api/{documentName}/openapi.json");
        return app;
    }
}
