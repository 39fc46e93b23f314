namespace Mailstead.Core.Mail;

/// <summary>
/// Immutable message bodies (ARCHITECTURE.md §4). <see cref="WriteAsync"/> returns only once the bytes and the
/// directory entry are on disk, so a metadata row committed afterwards never points at a missing or partial file.
/// </summary>
public interface IBodyStore
{
    /// <summary>Writes a new body durably and returns its key.</summary>
    Task<string> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The whole body; null when there is no file for the key.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The header only, up to and including the blank line that ends it (the whole body when it has none); null when
    /// there is no file. Lists and IMAP ENVELOPE need no more, and attachments are most of the bytes. Read-only: the
    /// store may hand the same bytes to every caller.
    /// </summary>
    Task<ReadOnlyMemory<byte>?> ReadHeaderAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes a body no metadata row refers to any more.</summary>
    void Delete(string key);

    /// <summary>Keys of bodies written before <paramref name="before"/>; also deletes unfinished temporary files older than that.</summary>
    IEnumerable<string> ListWrittenBefore(DateTime before);
}
