using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Credentials.Hashing;
using Mailstead.Core.Mail;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mailstead.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Accounts, credentials and revocation; the storage that backs <see cref="IAccountStore"/> is registered separately.</summary>
    public static IServiceCollection AddMailsteadCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PasswordPolicyOptions>(configuration.GetSection(PasswordPolicyOptions.Section));
        services.Configure<HashingOptions>(configuration.GetSection(HashingOptions.Section));
        services.Configure<ThrottleOptions>(configuration.GetSection(ThrottleOptions.Section));
        services.Configure<SessionOptions>(configuration.GetSection(SessionOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<VerifiedCredentialCache>();
        services.AddSingleton<RevocationHub>();
        services.AddSingleton<CredentialService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<SignInHandoffService>();
        services.AddSingleton<ApiKeyService>();
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.AddSingleton<FolderEvents>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<UserMailService>();
        services.AddSingleton<Outbox>();
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.AddSingleton<ISubmissionTargets, StoreSubmissionTargets>();
        services.AddSingleton<MailSubmission>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<MaildirImporter>();
        services.AddSingleton<IPasswordChangeNotifier, PasswordChangeNotifier>();
        return services;
    }
}
