using Mailstead.Protocols.Smtp;

namespace Mailstead.Protocols.Tests.Smtp;

public sealed class SmtpArgumentsTests
{
    [Theory]
    [InlineData("FROM:<alice@example.test>", "alice@example.test")]
    [InlineData("from:<alice@example.test>", "alice@example.test")]
    [InlineData("FROM: <alice@example.test>", "alice@example.test")]
    [InlineData("FROM:<\"alice\"@example.test>", "alice@example.test")]
    [InlineData("FROM:<\"al ice\"@example.test>", "\"al ice\"@example.test")]
    [InlineData("FROM:<@relay.test,@other.test:alice@example.test>", "alice@example.test")]
    [InlineData("FROM:<alice@[192.0.2.1]>", "alice@[192.0.2.1]")]
    [InlineData("FROM:<alice@[IPv6:2001:db8::1]>", "alice@[IPv6:2001:db8::1]")]
    [InlineData("FROM:<o'brien+tag@sub.example.test>", "o'brien+tag@sub.example.test")]
    public void Mail_from_accepts_the_paths_of_rfc_5321_section_4_1_2(string argument, string address)
    {
        var parsed = SmtpArguments.ParseMail(argument, authOffered: false);

        Assert.True(parsed.Succeeded, parsed.Error?.ToString());
        Assert.Equal(address, parsed.Value!.ReversePath!.Address);
    }

    [Fact]
    public void Mail_from_the_null_path_has_no_reverse_path()
    {
        var parsed = SmtpArguments.ParseMail("FROM:<>", authOffered: false);

        Assert.True(parsed.Succeeded);
        Assert.Null(parsed.Value!.ReversePath);
    }

    [Theory]
    [InlineData("FROM:alice@example.test", "501 5.1.7")]
    [InlineData("FROM:<alice@example.test", "501 5.1.7")]
    [InlineData("FROM:<alice>", "501 5.1.7")]
    [InlineData("FROM:<alice..b@example.test>", "501 5.1.7")]
    [InlineData("FROM:<.alice@example.test>", "501 5.1.7")]
    [InlineData("FROM:<alice@-example.test>", "501 5.1.7")]
    [InlineData("FROM:<alice@exam_ple.test>", "501 5.1.7")]
    [InlineData("FROM:<alice@example..test>", "501 5.1.7")]
    [InlineData("FROM:<alice@[300.1.1.1]>", "501 5.1.7")]
    [InlineData("FROM:<alice@[IPv6:zz::1]>", "501 5.1.7")]
    [InlineData("FROM:<\"unterminated@example.test>", "501 5.1.7")]
    [InlineData("FROM:<a@b.test>x", "501 5.5.4")]
    [InlineData("TO:<alice@example.test>", "501 5.5.4")]
    [InlineData("FROM:<alice@example.test> FOO=bar", "555 5.5.4")]
    [InlineData("FROM:<alice@example.test> SIZE=abc", "501 5.5.4")]
    [InlineData("FROM:<alice@example.test> SIZE=1 SIZE=2", "501 5.5.4")]
    [InlineData("FROM:<alice@example.test> BODY=BINARYMIME", "501 5.5.4")]
    [InlineData("FROM:<alice@example.test> SMTPUTF8=yes", "501 5.5.4")]
    [InlineData("FROM:<alice@example.test> AUTH=<>", "555 5.5.4")]
    [InlineData("FROM:<alice@example.test> SIZE=", "501 5.5.4")]
    public void Mail_from_refuses_what_the_grammar_does_not_allow_with_a_reply(string argument, string reply)
    {
        var parsed = SmtpArguments.ParseMail(argument, authOffered: false);

        Assert.False(parsed.Succeeded);
        Assert.StartsWith(reply, parsed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mail_from_reads_size_body_and_smtputf8()
    {
        var parsed = SmtpArguments.ParseMail("FROM:<jörg@bücher.test> SIZE=12345 BODY=8BITMIME SMTPUTF8", authOffered: false);

        Assert.True(parsed.Succeeded, parsed.Error?.ToString());
        Assert.Equal(new MailFrom(new SmtpPath("jörg", "bücher.test", false), 12345, BodyType.EightBitMime, true), parsed.Value);
        Assert.False(parsed.Value!.ReversePath!.IsAscii);
    }

    [Fact]
    public void A_size_of_twenty_digits_is_too_large_rather_than_an_error()
    {
        var parsed = SmtpArguments.ParseMail("FROM:<a@b.test> SIZE=99999999999999999999", authOffered: false);

        Assert.Equal(long.MaxValue, parsed.Value!.Size);
    }

    [Fact]
    public void The_auth_parameter_is_accepted_only_where_auth_is_offered()
    {
        Assert.True(SmtpArguments.ParseMail("FROM:<a@b.test> AUTH=<>", authOffered: true).Succeeded);
    }

    [Theory]
    [InlineData("TO:<Postmaster>", "postmaster", null)]
    [InlineData("TO:<postmaster@example.test>", "postmaster", "example.test")]
    [InlineData("to:<bob@example.test>", "bob", "example.test")]
    public void Rcpt_to_accepts_forward_paths_and_the_bare_postmaster(string argument, string local, string? domain)
    {
        var parsed = SmtpArguments.ParseRcpt(argument);

        Assert.True(parsed.Succeeded, parsed.Error?.ToString());
        Assert.Equal(local, parsed.Value!.LocalPart);
        Assert.Equal(domain, parsed.Value.Domain);
    }

    [Theory]
    [InlineData("TO:<>", "501 5.1.3")]
    [InlineData("TO:<bob@example.test> NOTIFY=NEVER", "555 5.5.4")]
    [InlineData("FROM:<bob@example.test>", "501 5.5.4")]
    public void Rcpt_to_refuses_the_null_path_and_parameters_we_do_not_offer(string argument, string reply)
    {
        Assert.StartsWith(reply, SmtpArguments.ParseRcpt(argument).Error!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_part_longer_than_64_octets_is_refused()
    {
        var parsed = SmtpArguments.ParseRcpt($"TO:<{new string('a', 65)}@example.test>");

        Assert.Contains("64 octets", parsed.Error!.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mail.example.test", true)]
    [InlineData("[127.0.0.1]", true)]
    [InlineData("[IPv6:::1]", true)]
    [InlineData("localhost", true)]
    [InlineData("", false)]
    [InlineData("bad_name", false)]
    [InlineData("two words", false)]
    public void Ehlo_takes_a_domain_or_an_address_literal(string argument, bool valid)
    {
        Assert.Equal(valid, SmtpArguments.ParseHelo(argument).Succeeded);
    }

    [Theory]
    [InlineData("EHLO x", "Ehlo", "x")]
    [InlineData("ehlo x", "Ehlo", "x")]
    [InlineData("QUIT ", "Quit", "")]
    [InlineData("STARTTLS", "StartTls", "")]
    [InlineData("XYZZY now", "Unknown", "now")]
    public void Command_lines_split_into_a_case_insensitive_verb_and_an_argument(string line, string verb, string argument)
    {
        Assert.Equal(new SmtpCommand(Enum.Parse<SmtpVerb>(verb), argument), SmtpCommand.Parse(System.Text.Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void A_line_that_is_not_utf8_is_malformed()
    {
        Assert.Equal(SmtpVerb.Malformed, SmtpCommand.Parse([(byte)'M', 0xFF, 0xFE]).Verb);
    }

    [Fact]
    public void The_protocol_log_never_shows_sasl_data()
    {
        var command = SmtpCommand.Parse("AUTH PLAIN AGFsaWNlAHNlY3JldA=="u8);

        Assert.Equal("AUTH PLAIN ***", command.ForLog());
    }
}
