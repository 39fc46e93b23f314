using Mailstead.Core.Mail;

namespace Mailstead.Core.Tests.Mail;

public sealed class FolderEventsTests
{
    [Fact]
    public void Subscribers_hear_changes_of_their_folder_only_until_they_unsubscribe()
    {
        var events = new FolderEvents();
        var heard = new List<string>();
        var inbox = events.Subscribe(1, () => heard.Add("inbox watcher"));
        using var second = events.Subscribe(1, () => heard.Add("second inbox watcher"));
        using var sent = events.Subscribe(2, () => heard.Add("sent watcher"));

        events.Publish(1);
        inbox.Dispose();
        events.Publish(1);

        Assert.Equal(["inbox watcher", "second inbox watcher", "second inbox watcher"], heard);
    }
}
