using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;

namespace Mailstead.Core.Tests.Credentials;

public sealed class PasswordGeneratorTests
{
    public static TheoryData<PasswordPolicy, PolicyContext> Policies => new()
    {
        { PasswordPolicy.Create(new PasswordPolicyOptions(), null), new PolicyContext(EmailAddress.Parse("alice@example.test"), "Alice Liddell", null) },
        { PasswordPolicy.Create(new PasswordPolicyOptions(), null), new PolicyContext(EmailAddress.Parse("ab@cd.example"), "Ab", null) },
        {
            PasswordPolicy.Create(new PasswordPolicyOptions(), new PasswordPolicyOverrides { MinLength = 20, RequireUppercase = true, RequireLowercase = true, RequireDigit = true, RequireSymbol = true }),
            new PolicyContext(EmailAddress.Parse("bob@example.test"), null, null)
        },
        { PasswordPolicy.Create(new PasswordPolicyOptions { MinLength = 40 }, null), new PolicyContext(null, null, null) },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Ten_thousand_generated_passwords_all_meet_the_policy_and_differ(PasswordPolicy policy, PolicyContext context)
    {
        var generated = Enumerable.Range(0, 10_000).Select(_ => PasswordGenerator.Generate(policy, context)).ToList();

        Assert.All(generated, password => Assert.True(policy.Check(password, context).Passed, password));
        Assert.Equal(generated.Count, generated.Distinct(StringComparer.Ordinal).Count());
        Assert.All(generated, password => Assert.True(password.Length >= Math.Max(20, policy.MinLength)));
    }
}
