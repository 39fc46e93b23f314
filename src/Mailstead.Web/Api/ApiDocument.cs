using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Mailstead.Web.Api;

/// <summary>The OpenAPI document at /api/v1/openapi.json: only the API's endpoints, with the bearer scheme.</summary>
internal static class ApiDocument
{
    public const string SecurityScheme = "bearer";

    private const string Description =
        "Everything the Mailstead admin panel does, as JSON. Authenticate every request with an operator API key " +
        "(`Authorization: Bearer msk_…`), created in the admin panel under API keys; cookies are not accepted here. " +
        "Permissions are the key owner's: a platform administrator manages every domain, an account administrator " +
        "only their own. Errors are RFC 9457 problem details (`application/problem+json`) with `errors` (field → " +
        "message) and, for a password that fails the policy, `criteria` (every criterion with its state: met, " +
        "unmet or pending). Generated passwords are returned once and never stored in clear. " +
        "Sessions are the mailbox's web sessions; live mail (IMAP, POP3, SMTP) connections are not listed yet, " +
        "though ending sessions or setting the password closes them too.";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description =>
            description.RelativePath?.StartsWith(MailsteadApi.Prefix[1..] + "/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Mailstead API", Version = "v1", Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "msk_… (operator API key)",
                Description = "An operator API key, created in the admin panel under API keys and shown once.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] }];
            return Task.CompletedTask;
        });
    }
}
