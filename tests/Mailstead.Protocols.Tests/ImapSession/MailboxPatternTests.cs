using Mailstead.Protocols.Imap;

namespace Mailstead.Protocols.Tests.ImapSession;

public sealed class MailboxPatternTests
{
    [Theory]
    [InlineData("*", "Lists/dev/announce", true)]
    [InlineData("%", "Lists", true)]
    [InlineData("%", "Lists/dev", false)]
    [InlineData("Lists/%", "Lists/dev", true)]
    [InlineData("Lists/%", "Lists/dev/announce", false)]
    [InlineData("Lists/*", "Lists/dev/announce", true)]
    [InlineData("L*s", "Lists", true)]
    [InlineData("inbox", "INBOX", true)]
    [InlineData("Inbox/%", "INBOX/sub", true)]
    [InlineData("lists", "Lists", false)]
    [InlineData("", "INBOX", false)]
    public void Star_matches_across_levels_and_percent_within_one(string pattern, string name, bool matches) =>
        Assert.Equal(matches, MailboxPattern.Matches(pattern, name));

    [Fact]
    public void A_pattern_of_many_wildcards_is_answered_in_linear_time()
    {
        var pattern = string.Concat(Enumerable.Repeat("*%", 2000)) + "x";
        Assert.False(MailboxPattern.Matches(pattern, new string('a', 1000)));
    }

    [Fact]
    public void The_reference_is_a_prefix_of_the_pattern() =>
        Assert.Equal("Lists/%", MailboxPattern.Combine("Lists/", "/%"));
}
