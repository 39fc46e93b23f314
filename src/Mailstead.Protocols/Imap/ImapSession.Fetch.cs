using System.Buffers;
using System.Globalization;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Body;
using Mailstead.Protocols.Imap.Commands;
using Mailstead.Core.Mime;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Imap;

// FETCH and UID FETCH (RFC 3501 §6.4.5, §7.4.2), streamed: each message's response is written to the connection as
// it is made, so a FETCH 1:* never holds the folder's bodies in memory. Entries come from the folder's shared
// snapshot; \Seen is set a batch at a time.
internal sealed partial class ImapSession
{
    private const int Batch = 256;

    // Bytes written but not sent after which a FETCH flushes before the next message.
    private const long FlushThreshold = 64 * 1024;

    /// <summary>A fetch item with its section parsed (for BODY[...]) and how much of the body it reads.</summary>
    private sealed record FetchRequest(FetchItem Item, ImapSection? Section)
    {
        public BodyNeed Need { get; } = NeedOf(Item.Kind, Section);

        /// <summary>The cache key prefix of an item that depends on the body alone (see <see cref="ImapProtocol"/>); null for others.</summary>
        public string? Rendering { get; } = Item.Kind switch
        {
            FetchItemKind.Envelope => "envelope:",
            FetchItemKind.Body => "body:",
            FetchItemKind.BodyStructure => "bodystructure:",
            _ => null,
        };
    }

    private async Task<Reply> FetchAsync(FetchCommand fetch)
    {
        var selected = _selected!;
        var targets = selected.Resolve(fetch.Set, fetch.Uid);
        if (targets is null)
        {
            return Reply.Bad("No such message: the sequence set goes beyond the folder.");
        }

        // RFC 7162 §3.2.6: VANISHED only after ENABLE QRESYNC.
        if (fetch.Vanished && !_qresync)
        {
            return Reply.Bad(QResyncNotEnabled);
        }

        var requests = new List<FetchRequest>();
        // RFC 3501 §6.4.8: UID FETCH always returns UID, even when not asked.
        if (fetch.Uid && !fetch.Items.Any(i => i.Kind == FetchItemKind.Uid))
        {
            requests.Add(new FetchRequest(FetchItem.Of(FetchItemKind.Uid), null));
        }

        foreach (var item in fetch.Items)
        {
            // BINARY's section is a part number only (RFC 3516 §7 section-binary); the parser has checked its syntax.
            ImapSection? section = null;
            if (item.Kind is FetchItemKind.BodySection or FetchItemKind.BinarySection or FetchItemKind.BinarySize
                && !ImapSections.TryParse(item.Section, out section))
            {
                return Reply.Bad($"Invalid section [{item.Section}].");
            }

            requests.Add(new FetchRequest(item, section));
        }

        // RFC 7162 §3.1: MODSEQ and CHANGEDSINCE are CONDSTORE enabling commands; CHANGEDSINCE implies MODSEQ (§3.1.4.1).
        if (fetch.ChangedSince is not null || requests.Any(r => r.Item.Kind == FetchItemKind.ModSeq))
        {
            EnableCondStore();
            if (!requests.Any(r => r.Item.Kind == FetchItemKind.ModSeq))
            {
                requests.Add(new FetchRequest(FetchItem.Of(FetchItemKind.ModSeq), null));
            }
        }

        if (fetch.Vanished)
        {
            // §3.2.6: the expunged UIDs come before any FETCH.
            VanishedEarlier(fetch.Set);
        }

        // §6.4.5: BODY[...] (not PEEK), RFC822 and RFC822.TEXT set \Seen; never in a read-only folder.
        var setsSeen = !selected.ReadOnly && requests.Any(r => (r.Item.Kind is FetchItemKind.BodySection or FetchItemKind.BinarySection && !r.Item.Peek)
            || r.Item.Kind is FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text);
        var unreadable = 0;
        var unknownEncoding = 0;
        var entries = await EntriesAsync().ConfigureAwait(false);
        foreach (var chunk in targets.Chunk(Batch))
        {
            var rows = chunk.Select(t => entries.Find(t.Uid)).OfType<MessageEntry>().ToDictionary(m => m.Uid);
            var seenNow = new HashSet<long>();
            if (setsSeen)
            {
                var unseen = chunk.Where(t => rows.TryGetValue(t.Uid, out var row) && !row.Flags.Has(SystemFlags.Seen)).Select(t => t.Uid).ToList();
                if (unseen.Count > 0)
                {
                    foreach (var changed in await Store.SetFlagsAsync(selected.Folder.Id, unseen, FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), Ended).ConfigureAwait(false))
                    {
                        rows[changed.Uid] = changed.Entry;
                        seenNow.Add(changed.Uid);
                    }
                }
            }

            foreach (var (sequence, uid) in chunk)
            {
                // Expunged meanwhile: RFC 2180 §4.1.2 lets the server say nothing about it.
                if (!rows.TryGetValue(uid, out var row) || (fetch.ChangedSince is { } since && (ulong)row.ModSeq <= since))
                {
                    continue;
                }

                // What some items answer, worked out before anything of this message is written: cached renderings,
                // and BINARY content, whose decoding may fail.
                var prepared = new ReadOnlyMemory<byte>?[requests.Count];
                var need = BodyNeed.None;
                for (var i = 0; i < requests.Count; i++)
                {
                    if (requests[i].Rendering is not { } prefix || !_services.Renderings.TryGet(prefix + row.BodyKey, out var bytes))
                    {
                        need = (BodyNeed)Math.Max((int)need, (int)requests[i].Need);
                        continue;
                    }

                    prepared[i] = bytes;
                }

                MimeMessage? message = null;
                if (need != BodyNeed.None && (message = await LoadAsync(row, need).ConfigureAwait(false)) is null)
                {
                    unreadable++;
                    continue;
                }

                if (!PrepareBinary(requests, message, prepared))
                {
                    unknownEncoding++;
                    continue;
                }

                var reportFlags = seenNow.Contains(uid) && !requests.Any(r => r.Item.Kind == FetchItemKind.Flags);
                WriteFetch(sequence, row, requests, message, prepared, reportFlags);
                if (reportFlags || requests.Any(r => r.Item.Kind == FetchItemKind.Flags))
                {
                    selected.Reported(uid, row.ModSeq);
                }

                if (_connection.Output.CanGetUnflushedBytes && _connection.Output.UnflushedBytes > FlushThreshold
                    && !await _connection.FlushAsync().ConfigureAwait(false))
                {
                    return Reply.End;
                }
            }

            if (!await _connection.FlushAsync().ConfigureAwait(false))
            {
                return Reply.End;
            }
        }

        return (unreadable, unknownEncoding) switch
        {
            (0, 0) => Reply.Ok("FETCH completed."),
            (0, _) => Reply.No($"[UNKNOWN-CTE] {unknownEncoding} messages have a part in a transfer encoding this server cannot decode."),
            _ => Reply.No($"[SERVERBUG] {unreadable} messages could not be read."),
        };
    }

    /// <summary>Decodes the BINARY and BINARY.SIZE parts asked for into <paramref name="prepared"/>; false when one has an unknown encoding.</summary>
    private static bool PrepareBinary(List<FetchRequest> requests, MimeMessage? message, ReadOnlyMemory<byte>?[] prepared)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].Item.Kind is FetchItemKind.BinarySection or FetchItemKind.BinarySize)
            {
                if (ImapSections.ExtractBinary(message!, requests[i].Section!.Part) is not { } content)
                {
                    return false;
                }

                prepared[i] = content;
            }
        }

        return true;
    }

    // ENVELOPE and the top-level header fields (what mail programs fetch for the message list) need the header
    // only: reading and parsing the attachments for them would be most of the work.
    private static BodyNeed NeedOf(FetchItemKind kind, ImapSection? section) => kind switch
    {
        FetchItemKind.Envelope or FetchItemKind.Rfc822Header => BodyNeed.Header,
        FetchItemKind.BodySection when section is { Part.Count: 0, Text: ImapSectionText.Header or ImapSectionText.HeaderFields or ImapSectionText.HeaderFieldsNot } => BodyNeed.Header,
        FetchItemKind.Body or FetchItemKind.BodyStructure or FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text or FetchItemKind.BodySection
            or FetchItemKind.BinarySection or FetchItemKind.BinarySize => BodyNeed.Whole,
        _ => BodyNeed.None,
    };

    /// <summary>The message as far as <paramref name="need"/> says; null (and logged) when its body file is missing.</summary>
    private async Task<MimeMessage?> LoadAsync(MessageEntry row, BodyNeed need)
    {
        var raw = need == BodyNeed.Header
            ? await Store.Bodies.ReadHeaderAsync(row.BodyKey, Ended).ConfigureAwait(false)
            // A missing file must stay null: a null array would convert to an empty message.
            : await Store.Bodies.ReadAsync(row.BodyKey, Ended).ConfigureAwait(false) is { } whole ? whole : null;
        if (raw is null)
        {
            Logger.LogError("IMAP: the body {Key} of message {Uid} in folder {Folder} is missing", row.BodyKey, row.Uid, _selected!.Folder.Id);
            return null;
        }

        return MimeMessage.Parse(raw.Value);
    }

    /// <summary>The body-derived item of <paramref name="request"/> for this message: from the cache, or rendered from <paramref name="message"/> and cached.</summary>
    private byte[] Rendering(FetchRequest request, MessageEntry row, MimeMessage message)
    {
        var output = new ArrayBufferWriter<byte>(512);
        switch (request.Item.Kind)
        {
            case FetchItemKind.Envelope:
                ImapBodyWriter.WriteEnvelope(output, message.Root);
                break;
            default:
                ImapBodyWriter.WriteBodyStructure(output, message.Root, extensible: request.Item.Kind == FetchItemKind.BodyStructure);
                break;
        }

        var bytes = output.WrittenSpan.ToArray();
        _services.Renderings.Add(request.Rendering + row.BodyKey, bytes);
        return bytes;
    }

    private void WriteFetch(int sequence, MessageEntry row, List<FetchRequest> requests, MimeMessage? message, ReadOnlyMemory<byte>?[] prepared, bool reportFlags)
    {
        var writer = new ImapWriter(_connection.Output);
        writer.Raw("* "u8).Number(sequence).Raw(" FETCH ("u8);
        var first = true;
        void Next()
        {
            if (!first)
            {
                writer.Space();
            }

            first = false;
        }

        for (var i = 0; i < requests.Count; i++)
        {
            var (item, section) = requests[i];
            Next();
            switch (item.Kind)
            {
                case FetchItemKind.Uid:
                    writer.Raw("UID "u8).Number(row.Uid);
                    break;
                case FetchItemKind.Flags:
                    writer.AsciiRaw("FLAGS " + FlagList(row));
                    break;
                case FetchItemKind.InternalDate:
                    writer.AsciiRaw("INTERNALDATE \"" + row.InternalDate.ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000\"");
                    break;
                case FetchItemKind.Rfc822Size:
                    writer.Raw("RFC822.SIZE "u8).Number(row.Size);
                    break;
                case FetchItemKind.ModSeq:
                    writer.Raw("MODSEQ ("u8).Number(row.ModSeq).Raw((byte)')');
                    break;
                case FetchItemKind.Envelope:
                    writer.Raw("ENVELOPE "u8).Raw((prepared[i] ?? Rendering(requests[i], row, message!)).Span);
                    break;
                case FetchItemKind.Body:
                    writer.Raw("BODY "u8).Raw((prepared[i] ?? Rendering(requests[i], row, message!)).Span);
                    break;
                case FetchItemKind.BodyStructure:
                    writer.Raw("BODYSTRUCTURE "u8).Raw((prepared[i] ?? Rendering(requests[i], row, message!)).Span);
                    break;
                case FetchItemKind.Rfc822:
                    writer.Raw("RFC822 "u8).Literal(message!.Raw.Span);
                    break;
                case FetchItemKind.Rfc822Header:
                    writer.Raw("RFC822.HEADER "u8).Literal(message!.Root.HeaderBytes.Span);
                    break;
                case FetchItemKind.Rfc822Text:
                    writer.Raw("RFC822.TEXT "u8).Literal(message!.Root.BodyBytes.Span);
                    break;
                case FetchItemKind.BodySection:
                    var partial = item.Partial is { } p ? new ImapPartial(p.Offset, p.Length) : (ImapPartial?)null;
                    writer.AsciiRaw($"BODY[{section}]");
                    if (partial is { } range)
                    {
                        // §7.4.2: the response names only the origin octet.
                        writer.Raw((byte)'<').Number(range.Origin).Raw((byte)'>');
                    }

                    writer.Space().Literal(ImapSections.Extract(message!, section!, partial).Span);
                    break;
                case FetchItemKind.BinarySection:
                    // RFC 3516 §4.3: the partial counts octets of the decoded content.
                    var content = prepared[i]!.Value;
                    writer.AsciiRaw($"BINARY[{item.Section}]");
                    if (item.Partial is { } binaryPartial)
                    {
                        content = new ImapPartial(binaryPartial.Offset, binaryPartial.Length).Apply(content);
                        writer.Raw((byte)'<').Number(binaryPartial.Offset).Raw((byte)'>');
                    }

                    writer.Space().BinaryLiteral(content.Span);
                    break;
                case FetchItemKind.BinarySize:
                    writer.AsciiRaw($"BINARY.SIZE[{item.Section}] ").Number(prepared[i]!.Value.Length);
                    break;
            }
        }

        if (reportFlags)
        {
            Next();
            writer.AsciiRaw("FLAGS " + FlagList(row));
            // RFC 7162 §3.2.4: an implicit \Seen is news the client did not ask for, so its UID and modseq go with it.
            if (_condStore && !requests.Any(r => r.Item.Kind == FetchItemKind.Uid))
            {
                writer.Raw(" UID "u8).Number(row.Uid);
            }

            if (_condStore && !requests.Any(r => r.Item.Kind == FetchItemKind.ModSeq))
            {
                writer.Raw(" MODSEQ ("u8).Number(row.ModSeq).Raw((byte)')');
            }
        }

        writer.Raw(")\r\n"u8);
    }
}
