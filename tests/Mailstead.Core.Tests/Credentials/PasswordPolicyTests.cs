using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;

namespace Mailstead.Core.Tests.Credentials;

public sealed class PasswordPolicyTests
{
    private static readonly PasswordPolicy Default = PasswordPolicy.Create(new PasswordPolicyOptions(), null);
    private static readonly PolicyContext Alice = new(EmailAddress.Parse("alice.liddell@wonderland.example"), "Alice Liddell", CurrentPassword: null);

    private static CriterionState StateOf(PolicyReport report, string id) => report.Criteria.Single(c => c.Id == id).State;

    [Fact]
    public void A_long_uncommon_passphrase_meets_every_default_criterion()
    {
        var report = Default.Check("violet kettle on the moor", Alice with { CurrentPassword = "something else entirely" });

        Assert.True(report.Passed);
        Assert.All(report.Criteria, c => Assert.Equal(CriterionState.Met, c.State));
        Assert.Equal(["length-min", "length-max", "not-personal", "not-common", "not-current"], report.Criteria.Select(c => c.Id));
    }

    [Theory]
    [InlineData("", CriterionState.Unmet)]
    [InlineData("elevenchars", CriterionState.Unmet)]
    [InlineData("twelve chars", CriterionState.Met)]
    public void The_minimum_length_is_twelve_characters(string candidate, CriterionState expected)
    {
        Assert.Equal(expected, StateOf(Default.Check(candidate, Alice), "length-min"));
        Assert.Equal("At least 12 characters", Default.Check(candidate, Alice).Criteria[0].Sentence);
    }

    [Fact]
    public void Length_counts_code_points_after_nfc_normalisation()
    {
        // Eleven letters plus "e" and a combining acute accent: NFC makes that one character, so twelve in all.
        var decomposed = "kettlesmoor" + "e\u0301";
        Assert.Equal(12, PasswordText.Length(decomposed));
        Assert.Equal(CriterionState.Met, StateOf(Default.Check(decomposed, Alice), "length-min"));
        Assert.Equal(2, PasswordText.Length("🔑🔑"));
    }

    [Fact]
    public void Any_unicode_is_accepted_and_at_least_128_characters()
    {
        Assert.True(Default.Check("żółw śpi pod 🌙 księżycem", Alice).Passed);
        var long128 = string.Concat(Enumerable.Range(0, 16).Select(i => $"word{i:D2}ab"));
        Assert.Equal(128, long128.Length);
        Assert.True(Default.Check(long128, Alice).Passed);
        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check(new string('q', 100) + long128 + long128, Alice), "length-max"));
    }

    [Fact]
    public void A_configured_maximum_below_128_is_raised_to_128()
    {
        var policy = PasswordPolicy.Create(new PasswordPolicyOptions { MaxLength = 64 }, null);

        Assert.Equal(128, policy.MaxLength);
    }

    [Theory]
    [InlineData("alice.liddell@wonderland.example")]
    [InlineData("my alice.liddell forever")]
    [InlineData("Wonderland-forever-2026")]
    [InlineData("long live liddell and co")]
    [InlineData("ALICE LIDDELL is my name")]
    public void A_password_containing_the_address_or_its_parts_or_the_name_is_refused(string candidate)
    {
        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check(candidate, Alice), "not-personal"));
    }

    [Fact]
    public void Service_labels_of_the_domain_such_as_mail_do_not_forbid_anything()
    {
        var context = new PolicyContext(EmailAddress.Parse("bob@mail.acme-widgets.example"), null, null);

        Assert.Equal(CriterionState.Met, StateOf(Default.Check("my mailbag of seashells", context), "not-personal"));
        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check("acme-widgets forever 9", context), "not-personal"));
    }

    [Fact]
    public void A_policy_context_never_prints_the_current_password()
    {
        Assert.DoesNotContain("hunter", (Alice with { CurrentPassword = "hunter2 hunter2" }).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_shorter_than_three_characters_do_not_forbid_anything()
    {
        var shortAddress = new PolicyContext(EmailAddress.Parse("al@io.example"), "Al", null);

        Assert.Equal(CriterionState.Met, StateOf(Default.Check("always a lion in october", shortAddress), "not-personal"));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("iloveyou")]
    [InlineData("Password2024!!")]
    [InlineData("123456789012")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("qwertyuiopas")]
    [InlineData("abcabcabcabc")]
    [InlineData("zyxwvutsrqpo")]
    public void A_common_or_leaked_password_or_a_mere_pattern_is_refused(string candidate)
    {
        Assert.True(CommonPasswords.Contains(candidate));
        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check(candidate, Alice), "not-common"));
    }

    [Fact]
    public void An_uncommon_passphrase_is_not_on_the_list()
    {
        Assert.False(CommonPasswords.Contains("violet kettle on the moor"));
    }

    [Fact]
    public void The_current_password_is_refused_when_known_and_pending_when_not()
    {
        var withCurrent = Alice with { CurrentPassword = "violet kettle on the moor" };

        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check("violet kettle on the moor", withCurrent), "not-current"));
        Assert.Equal(CriterionState.Pending, StateOf(Default.Check("violet kettle on the moor", Alice), "not-current"));
        Assert.True(Default.Check("violet kettle on the moor", Alice).Passed);
        Assert.Equal(CriterionState.Unmet, StateOf(Default.Check("violet kettle on the moor", Alice, sameAsCurrent: true), "not-current"));
        Assert.Equal(CriterionState.Met, StateOf(Default.Check("violet kettle on the moor", Alice, sameAsCurrent: false), "not-current"));
    }

    [Fact]
    public void Composition_rules_appear_only_when_switched_on_and_are_unicode_aware()
    {
        var strict = PasswordPolicy.Create(new PasswordPolicyOptions(), new PasswordPolicyOverrides { RequireUppercase = true, RequireLowercase = true, RequireDigit = true, RequireSymbol = true });

        var weak = strict.Check("violet kettle on the moor", Alice);
        Assert.Equal(CriterionState.Unmet, StateOf(weak, "uppercase"));
        Assert.Equal(CriterionState.Met, StateOf(weak, "lowercase"));
        Assert.Equal(CriterionState.Unmet, StateOf(weak, "digit"));
        Assert.Equal(CriterionState.Unmet, StateOf(weak, "symbol"));
        Assert.True(strict.Check("Żółw śpi 7 razy, księżyc!", Alice).Passed);
        Assert.DoesNotContain(Default.Check("x", Alice).Criteria, c => c.Id == "uppercase");
    }

    [Fact]
    public void A_domain_can_tighten_the_platform_policy_but_never_loosen_it()
    {
        var platform = new PasswordPolicyOptions { MinLength = 14, RequireDigit = true };

        var tighter = PasswordPolicy.Create(platform, new PasswordPolicyOverrides { MinLength = 20 });
        var looser = PasswordPolicy.Create(platform, new PasswordPolicyOverrides { MinLength = 8 });

        Assert.Equal(20, tighter.MinLength);
        Assert.Equal(14, looser.MinLength);
        Assert.True(looser.RequireDigit);
    }
}
