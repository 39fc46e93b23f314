using System.Text;

namespace Mailstead.Storage.Tests;

public sealed class BodyFileStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailstead-bodies-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Subject: crlf\r\nFrom: a@example.org\r\n\r\n", "body\r\n")]
    [InlineData("Subject: loosely written\nFrom: a@example.org\n\n", "body\n")]
    [InlineData("Subject: only a header\r\n", "")]
    public async Task The_header_read_ends_after_the_blank_line_and_leaves_the_body_unread(string header, string body)
    {
        var store = new BodyFileStore(_directory);
        var attachment = body.Length == 0 ? "" : new string('x', 100_000);
        var key = await store.WriteAsync(Encoding.ASCII.GetBytes(header + body + attachment), CancellationToken.None);

        var read = await store.ReadHeaderAsync(key, CancellationToken.None);

        Assert.Equal(header, Encoding.ASCII.GetString(read!.Value.Span));
    }

    [Fact]
    public async Task A_header_longer_than_one_read_and_a_blank_line_across_two_reads_are_found()
    {
        var store = new BodyFileStore(_directory);
        // 16 KiB is the first read: put the blank line right across its end.
        var filler = "X-Long: " + new string('y', 16 * 1024 - 8 - 2 - 2) + "\r\n";
        var header = filler + "\r\n";
        var key = await store.WriteAsync(Encoding.ASCII.GetBytes(header + "the body\r\n"), CancellationToken.None);
        var longHeader = string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-Field-{i}: some value\r\n")) + "\r\n";
        var longKey = await store.WriteAsync(Encoding.ASCII.GetBytes(longHeader + "the body\r\n"), CancellationToken.None);

        Assert.Equal(header, Encoding.ASCII.GetString((await store.ReadHeaderAsync(key, CancellationToken.None))!.Value.Span));
        Assert.Equal(longHeader, Encoding.ASCII.GetString((await store.ReadHeaderAsync(longKey, CancellationToken.None))!.Value.Span));
        Assert.Null(await store.ReadHeaderAsync(new string('a', 32), CancellationToken.None));
    }

    [Fact]
    public async Task A_header_read_once_is_served_from_memory_until_the_body_is_deleted()
    {
        var store = new BodyFileStore(_directory);
        var key = await store.WriteAsync("Subject: cached\r\n\r\nbody\r\n"u8.ToArray(), CancellationToken.None);
        await store.ReadHeaderAsync(key, CancellationToken.None);

        File.Move(store.PathOf(key), store.PathOf(key) + ".aside");
        Assert.Equal("Subject: cached\r\n\r\n", Encoding.ASCII.GetString((await store.ReadHeaderAsync(key, CancellationToken.None))!.Value.Span));

        File.Move(store.PathOf(key) + ".aside", store.PathOf(key));
        store.Delete(key);
        Assert.Null(await store.ReadHeaderAsync(key, CancellationToken.None));
    }
}
