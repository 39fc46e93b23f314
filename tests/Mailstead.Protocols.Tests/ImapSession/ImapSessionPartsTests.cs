using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Mailstead.Protocols.Imap;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Tests.ImapSession;

public sealed class ImapSessionPartsTests
{
    [Fact]
    public void Flags_are_written_system_flags_first_then_recent_then_keywords()
    {
        var flags = MessageFlags.Of(SystemFlags.Deleted | SystemFlags.Seen, "$Label1");
        Assert.Equal(@"(\Seen \Deleted $Label1)", ImapFlags.Format(flags, recent: false));
        Assert.Equal(@"(\Seen \Deleted \Recent $Label1)", ImapFlags.Format(flags, recent: true));
        Assert.Equal(@"(\Recent)", ImapFlags.Format(MessageFlags.Empty, recent: true));
    }

    [Fact]
    public void Recent_is_ignored_and_an_unknown_system_flag_is_refused()
    {
        Assert.True(ImapFlags.TryParse([@"\seen", @"\Recent", "$Junk"], out var flags, out _));
        Assert.Equal(SystemFlags.Seen, flags.System);
        Assert.Equal(["$Junk"], flags.Keywords);

        Assert.False(ImapFlags.TryParse([@"\Important"], out _, out var error));
        Assert.Contains(@"\Important", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_compares_header_fields_unfolded_and_decoded_by_whole_name_in_any_case()
    {
        var message = MimeMessage.Parse(System.Text.Encoding.ASCII.GetBytes(
            "From: =?UTF-8?B?Sm9zw6kgw4FsdmFyZXo=?= <jose@example.org>\r\n" +
            "Subject: Caf=?ISO-8859-1?Q?=E9?= order\r\n for the offsite\r\n" +
            "X-Sub: =?UTF-8?Q?first=0ASubject:_forged?=\r\n" +
            "\r\nbody\r\n"));
        var header = SearchableHeader.Of(message.Root);

        Assert.Equal(["José Álvarez <jose@example.org>"], SearchableHeader.Values(header, "from"));
        Assert.Equal(["Café order for the offsite"], SearchableHeader.Values(header, "SUBJECT"));
        Assert.Equal(["first Subject: forged"], SearchableHeader.Values(header, "X-Sub"));
        Assert.Empty(SearchableHeader.Values(header, "Sub"));
        Assert.Empty(SearchableHeader.Values(header, "To"));
    }

    [Fact]
    public void Uid_sets_collapse_runs_and_keep_the_order_given() =>
        Assert.Equal("1:3,7,9:10,4", global::Mailstead.Protocols.Imap.ImapSession.NumberSet([1, 2, 3, 7, 9, 10, 4]));

    [Fact]
    public void The_state_table_accepts_each_command_only_where_rfc_3501_puts_it()
    {
        Assert.True(ImapStateTable.Accepts(ImapState.NotAuthenticated, ImapCommandName.Login));
        Assert.False(ImapStateTable.Accepts(ImapState.Authenticated, ImapCommandName.Login));
        Assert.False(ImapStateTable.Accepts(ImapState.NotAuthenticated, ImapCommandName.Select));
        Assert.True(ImapStateTable.Accepts(ImapState.Selected, ImapCommandName.Idle));
        Assert.True(ImapStateTable.Accepts(ImapState.Authenticated, ImapCommandName.Idle));
        Assert.False(ImapStateTable.Accepts(ImapState.Authenticated, ImapCommandName.Fetch));
        Assert.False(ImapStateTable.Accepts(ImapState.Selected, ImapCommandName.Enable));
        Assert.True(ImapStateTable.Accepts(ImapState.NotAuthenticated, ImapCommandName.Id));
    }
}
