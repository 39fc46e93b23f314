using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap;
using Mailstead.Protocols.Imap.Commands;
using Mailstead.Protocols.Tests.Imap;

namespace Mailstead.Protocols.Tests.ImapSession;

public sealed class SelectedFolderTests
{
    private static MessageEntry Row(long uid, long modSeq, SystemFlags flags = SystemFlags.None) =>
        new(uid, modSeq, flags, "", 100, DateTime.UnixEpoch, null, "k" + uid);

    private static MailFolder Folder(long highestModSeq) => new() { Id = 1, Name = "INBOX", HighestModSeq = highestModSeq, UidValidity = 7 };

    private static SelectedFolder Open(params long[] uids) =>
        new(Folder(10), [.. uids.Select(u => Row(u, 1))], readOnly: false);

    private static SequenceSet Set(params (uint First, uint Last)[] ranges) =>
        new([.. ranges.Select(r => SequenceRange.Create(r.First, r.Last))]);

    [Fact]
    public void The_saved_search_result_names_the_same_messages_as_numbers_or_uids_and_forgets_expunged_ones()
    {
        var folder = Open(3, 5, 8, 9);
        Assert.Empty(folder.Resolve(SequenceSet.SavedResult, uid: false)!);

        folder.SavedResult = new HashSet<long> { 5, 9 };
        Assert.Equal([(2, 5L), (4, 9L)], folder.Resolve(SequenceSet.SavedResult, uid: false));
        Assert.Equal([(2, 5L), (4, 9L)], folder.Resolve(SequenceSet.SavedResult, uid: true));

        // RFC 9051 §6.4.4.1: an expunged message leaves "$"; the others keep their new numbers.
        folder.Apply(Folder(11), [3, 8, 9], [], allowExpunge: true);
        Assert.Equal([(3, 9L)], folder.Resolve(SequenceSet.SavedResult, uid: false));
    }

    [Fact]
    public void Expunges_are_announced_highest_number_first_so_each_number_is_right_when_sent()
    {
        var folder = Open(3, 5, 8, 9);

        var update = folder.Apply(Folder(11), [5, 9], [], allowExpunge: true);

        // RFC 3501 §7.4.1: after "* 3 EXPUNGE" the message that was 4 is 3; sending 3 then 1 needs no renumbering.
        Assert.Equal([(3, 8L), (1, 3L)], update.Expunged);
        Assert.Equal(2, folder.Count);
        Assert.Equal([(1, 5L), (2, 9L)], folder.Resolve(Set((1, SequenceRange.Star)), uid: false));
    }

    [Fact]
    public void Without_expunge_allowed_a_vanished_message_keeps_its_number_until_a_later_command()
    {
        var folder = Open(3, 5);

        var during = folder.Apply(Folder(11), [5, 6], [Row(6, 11)], allowExpunge: false);
        Assert.Empty(during.Expunged);
        Assert.Equal(3, during.Exists);
        Assert.True(folder.HasGone);
        Assert.Equal(1, folder.SequenceOf(3));
        Assert.Empty(folder.Apply(Folder(11), [5, 6], [], allowExpunge: false).Expunged);

        var after = folder.Apply(Folder(11), [5, 6], [], allowExpunge: true);
        Assert.Equal([(1, 3L)], after.Expunged);
        Assert.Null(after.Exists);
        Assert.False(folder.HasGone);
    }

    [Fact]
    public void A_flag_change_is_announced_once_and_not_at_all_when_the_session_reported_it_itself()
    {
        var folder = Open(1, 2);
        folder.Reported(2, 11);

        var update = folder.Apply(Folder(11), [1, 2], [Row(1, 11, SystemFlags.Seen), Row(2, 11, SystemFlags.Flagged)], allowExpunge: true);
        Assert.Equal([1], update.FlagChanges.Select(c => c.Sequence));

        var again = folder.Apply(Folder(11), [1, 2], [Row(1, 11, SystemFlags.Seen)], allowExpunge: true);
        Assert.Empty(again.FlagChanges);
    }

    [Fact]
    public void Sequence_numbers_beyond_the_folder_are_invalid_but_unknown_uids_are_skipped()
    {
        var folder = Open(4, 7);

        Assert.Null(folder.Resolve(Set((3, 3)), uid: false));
        Assert.Equal([(2, 7L)], folder.Resolve(Set((5, 100)), uid: true));
        // RFC 3501 §6.4.8: "UID 8:*" still names the highest UID when it is below 8.
        Assert.Equal([(2, 7L)], folder.Resolve(Set((8, SequenceRange.Star)), uid: true));
        // RFC 3501 §9 seq-number: "*" in an empty folder is beyond it too.
        Assert.Null(Open().Resolve(Set((1, SequenceRange.Star)), uid: false));
        Assert.Empty(Open().Resolve(Set((1, SequenceRange.Star)), uid: true)!);
    }

    [Theory]
    [InlineData(null, "1,3:4,7:9")]
    [InlineData("2:4,8:*", "3:4,8:9")]
    [InlineData("10:20", "")]
    public void Vanished_earlier_names_every_known_uid_below_uidnext_that_is_not_present(string? known, string expected)
    {
        var set = known is null ? null : ImapParse.Command<FetchCommand>($"a UID FETCH {known} FLAGS").Set;

        Assert.Equal(expected, VanishedUids.Of(set, [2, 5, 6], uidNext: 10));
    }

    [Fact]
    public void A_folder_that_never_had_a_message_has_nothing_vanished()
    {
        Assert.Equal("", VanishedUids.Of(null, [], uidNext: 1));
    }
}
