using Mailstead.Core.Accounts;

namespace Mailstead.Core.Tests.Accounts;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("Alice@Example.TEST", "alice@example.test")]
    [InlineData("first.last+tag@example.test", "first.last+tag@example.test")]
    [InlineData("admin@localhost", "admin@localhost")]
    [InlineData("josé@bücher.example", "josé@xn--bcher-kva.example")]
    public void An_address_is_stored_in_lower_case_with_an_ascii_domain(string input, string expected)
    {
        Assert.Equal(expected, EmailAddress.Parse(input).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@example.test")]
    [InlineData("alice@")]
    [InlineData(".alice@example.test")]
    [InlineData("al..ice@example.test")]
    [InlineData("al ice@example.test")]
    [InlineData("alice@exa mple.test")]
    [InlineData("alice@-example.test")]
    [InlineData("alice@example..test")]
    public void A_malformed_address_is_refused_with_a_reason(string input)
    {
        Assert.False(EmailAddress.TryParse(input, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void A_local_part_over_64_bytes_is_refused()
    {
        Assert.False(EmailAddress.TryParse(new string('a', 65) + "@example.test", out _, out _));
        Assert.True(EmailAddress.TryParse(new string('a', 64) + "@example.test", out _, out _));
    }
}
