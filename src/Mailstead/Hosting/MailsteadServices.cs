using Mailstead.Core;
using Mailstead.Storage;

namespace Mailstead.Hosting;

internal static class MailsteadServices
{
    /// <summary>What both the server and the CLI commands need: Core services over the configured storage.</summary>
    public static IServiceCollection AddMailstead(this IServiceCollection services, IConfiguration configuration) =>
        services.AddMailsteadCore(configuration).AddMailsteadStorage(configuration);
}
