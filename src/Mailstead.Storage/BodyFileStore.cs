using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Microsoft.Win32.SafeHandles;

namespace Mailstead.Storage;

/// <summary>
/// Message bodies as immutable files under <c>&lt;DataDirectory&gt;/mail/&lt;shard&gt;/&lt;key&gt;</c>. A write goes to a
/// temporary file in the same directory, is flushed to disk, renamed into place, and the directory is fsynced, so
/// after <see cref="WriteAsync"/> returns the file survives a crash whole (ARCHITECTURE.md §4). A crash before the
/// rename leaves a <c>.tmp-*</c> file, which no key names; a crash before the metadata commit leaves an orphan
/// body, which is harmless and can be swept.
/// </summary>
public sealed partial class BodyFileStore : IBodyStore
{
    private const string TempPrefix = ".tmp-";

    // Most headers fit; a longer one is read in doubling steps.
    private const int HeaderChunk = 8 * 1024;

    // Headers of recently listed messages: mail programs fetch the same message list again and again.
    private const long HeaderCacheBytes = 32L << 20;

    private readonly string _root;
    private readonly BodyDerivedCache _headers = new(HeaderCacheBytes);

    public BodyFileStore(string dataDirectory)
    {
        _root = Path.Combine(dataDirectory, "mail");
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task<string> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // Random keys, not content hashes: two deliveries of the same bytes are two messages, and deleting one
        // must not need a reference count across mailboxes.
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var directory = Path.Combine(_root, key[..2]);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            SyncDirectory(_root);
        }

        var final = Path.Combine(directory, key);
        var temp = Path.Combine(directory, TempPrefix + key);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        SyncDirectory(directory);
        return key;
    }

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        // Synchronous, like the header reads: SEARCH TEXT and FETCH BODY[] read every message of a folder, and the
        // asynchronous path (a thread-pool hop per file, plus a stat for an existence check) cost more than the reads.
        using var file = Open(key);
        if (file is null)
        {
            return Task.FromResult<byte[]?>(null);
        }

        var length = RandomAccess.GetLength(file);
        var body = new byte[length];
        var filled = 0;
        while (filled < body.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(file, body.AsSpan(filled), filled);
            if (read == 0)
            {
                throw new IOException($"The body {key} ended after {filled} of {length} bytes.");
            }

            filled += read;
        }

        return Task.FromResult<byte[]?>(body);
    }

    /// <summary>The body file opened for reading; null when there is none (never written, or deleted).</summary>
    private SafeFileHandle? Open(string key)
    {
        try
        {
            return File.OpenHandle(PathOf(key));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<ReadOnlyMemory<byte>?> ReadHeaderAsync(string key, CancellationToken cancellationToken)
    {
        if (!_headers.TryGet(key, out var header))
        {
            header = ReadHeader(key, cancellationToken);
            if (header is null)
            {
                return Task.FromResult<ReadOnlyMemory<byte>?>(null);
            }

            _headers.Add(key, header);
        }

        return Task.FromResult<ReadOnlyMemory<byte>?>(header);
    }

    private byte[]? ReadHeader(string key, CancellationToken cancellationToken)
    {
        // Synchronous reads of a few kilobytes of a local file: the message list FETCHes one per message, and the
        // asynchronous FileStream path costs more than the read itself.
        using var file = Open(key);
        if (file is null)
        {
            return null;
        }

        var length = RandomAccess.GetLength(file);
        var buffer = new byte[(int)Math.Min(length, HeaderChunk)];
        var filled = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(file, buffer.AsSpan(filled), filled);
            if (read == 0)
            {
                return filled == buffer.Length ? buffer : buffer[..filled];
            }

            // Search a little before the new bytes too: the blank line may straddle two reads.
            var from = Math.Max(0, filled - 3);
            filled += read;
            var end = MimeMessage.HeaderLength(buffer.AsSpan(from, filled - from));
            if (end >= 0)
            {
                return buffer[..(from + end)];
            }

            if (filled == buffer.Length)
            {
                if (filled == length)
                {
                    return buffer;
                }

                Array.Resize(ref buffer, (int)Math.Min(length, (long)buffer.Length * 2));
            }
        }
    }

    public void Delete(string key)
    {
        _headers.Remove(key);
        File.Delete(PathOf(key));
    }

    public IEnumerable<string> ListWrittenBefore(DateTime before)
    {
        foreach (var shard in Directory.EnumerateDirectories(_root))
        {
            foreach (var file in Directory.EnumerateFiles(shard))
            {
                var name = Path.GetFileName(file);
                if (File.GetLastWriteTimeUtc(file) >= before)
                {
                    continue;
                }

                if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
                {
                    // A write that never reached its rename: nobody can name it.
                    File.Delete(file);
                }
                else if (name.Length == 32 && name.All(char.IsAsciiHexDigitLower))
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>The file of a key; keys are hex only, so no key can name a path outside the store.</summary>
    public string PathOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 3 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"Not a body key: {key}", nameof(key));
        }

        return Path.Combine(_root, key[..2], key);
    }

    // .NET cannot fsync a directory; without it the rename may be lost in a crash (ext4, XFS).
    private static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        var fd = Open(path, ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int ORdOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
