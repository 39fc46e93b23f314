using System.Buffers;
using System.Globalization;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Imap.Body;

// BODY[<section>]<<partial>> (RFC 3501 §6.4.5): parsing the text between the
// brackets and cutting the section out of a parsed message, byte-exact.
//
//   if (ImapSections.TryParse("1.2.HEADER.FIELDS (From To)", out var section))
//       var octets = ImapSections.Extract(message, section, new ImapPartial(0, 2048));
//
// Part numbers follow the RFC: a non-multipart message has only part 1, its
// body; the parts of a message/rfc822 part are those of the embedded message;
// HEADER, HEADER.FIELDS[.NOT] and TEXT after part numbers need a message/rfc822
// part; a part or text that does not exist gives the empty string.
internal static class ImapSections
{
    public static bool TryParse(string spec, out ImapSection section)
    {
        section = ImapSection.Full;
        var part = new List<int>();
        var position = 0;
        while (position < spec.Length && char.IsAsciiDigit(spec[position]))
        {
            var start = position;
            while (position < spec.Length && char.IsAsciiDigit(spec[position]))
            {
                position++;
            }

            // nz-number: no leading zero, not zero, fits.
            if (spec[start] == '0' || !int.TryParse(spec.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            part.Add(number);
            if (position == spec.Length)
            {
                section = new ImapSection(part, ImapSectionText.None, []);
                return true;
            }

            if (spec[position++] != '.')
            {
                return false;
            }
        }

        var rest = spec.AsSpan(position);
        var text = rest switch
        {
            _ when rest.Equals("HEADER", StringComparison.OrdinalIgnoreCase) => ImapSectionText.Header,
            _ when rest.Equals("TEXT", StringComparison.OrdinalIgnoreCase) => ImapSectionText.Text,
            _ when rest.Equals("MIME", StringComparison.OrdinalIgnoreCase) && part.Count > 0 => ImapSectionText.Mime,
            _ when rest.StartsWith("HEADER.FIELDS.NOT ", StringComparison.OrdinalIgnoreCase) => ImapSectionText.HeaderFieldsNot,
            _ when rest.StartsWith("HEADER.FIELDS ", StringComparison.OrdinalIgnoreCase) => ImapSectionText.HeaderFields,
            _ when rest.IsEmpty && part.Count == 0 => ImapSectionText.None,
            _ => (ImapSectionText?)null,
        };
        if (text is null)
        {
            return false;
        }

        IReadOnlyList<string> names = [];
        if (text is ImapSectionText.HeaderFields or ImapSectionText.HeaderFieldsNot)
        {
            var list = rest[(rest.IndexOf(' ') + 1)..];
            if (!TryParseHeaderList(list, out var parsed))
            {
                return false;
            }

            names = parsed;
        }

        section = new ImapSection(part, text.Value, names);
        return true;
    }

    public static ReadOnlyMemory<byte> Extract(MimeMessage message, ImapSection section, ImapPartial? partial = null)
    {
        var text = Extract(message, section);
        return partial is { } range ? range.Apply(text) : text;
    }

    /// <summary>
    /// BINARY[part] (RFC 3516 §4.2): the part with its Content-Transfer-Encoding undone; null when the encoding is
    /// not one this server knows (the client gets NO [UNKNOWN-CTE]). No part is the whole message as stored, and a
    /// multipart or message/rfc822 part is never encoded beyond 7bit, 8bit or binary (RFC 2045 §6.4).
    /// </summary>
    public static ReadOnlyMemory<byte>? ExtractBinary(MimeMessage message, IReadOnlyList<int> part)
    {
        if (part.Count == 0)
        {
            return message.Raw;
        }

        var entity = FindPart(message.Root, part);
        if (entity is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        return entity.Kind != MimeEntityKind.Leaf ? entity.BodyBytes : entity.TransferEncoding.ToUpperInvariant() switch
        {
            "7BIT" or "8BIT" or "BINARY" => entity.BodyBytes,
            "BASE64" or "QUOTED-PRINTABLE" => entity.DecodeContent(),
            _ => null,
        };
    }

    private static ReadOnlyMemory<byte> Extract(MimeMessage message, ImapSection section)
    {
        if (section.Part.Count == 0)
        {
            return section.Text == ImapSectionText.None ? message.Raw : MessageText(message.Root, section);
        }

        var part = FindPart(message.Root, section.Part);
        return (part, section.Text) switch
        {
            (null, _) => ReadOnlyMemory<byte>.Empty,
            (_, ImapSectionText.None) => part.BodyBytes,
            (_, ImapSectionText.Mime) => part.HeaderBytes,
            _ => part.Message is { } embedded ? MessageText(embedded, section) : ReadOnlyMemory<byte>.Empty,
        };
    }

    // The parts numbered inside a message: a multipart's parts, or the message
    // itself as part 1. Inside a part: a multipart's parts, or those of the
    // message a message/rfc822 part holds; a leaf has none.
    private static MimeEntity? FindPart(MimeEntity root, IReadOnlyList<int> numbers)
    {
        var parts = PartsOfMessage(root);
        MimeEntity? current = null;
        foreach (var number in numbers)
        {
            if (number > parts.Count)
            {
                return null;
            }

            current = parts[number - 1];
            parts = current.Kind switch
            {
                MimeEntityKind.Multipart => current.Children,
                MimeEntityKind.Message => PartsOfMessage(current.Children[0]),
                _ => [],
            };
        }

        return current;
    }

    private static IReadOnlyList<MimeEntity> PartsOfMessage(MimeEntity message) =>
        message.Kind == MimeEntityKind.Multipart ? message.Children : [message];

    private static ReadOnlyMemory<byte> MessageText(MimeEntity message, ImapSection section) => section.Text switch
    {
        ImapSectionText.Header => message.HeaderBytes,
        ImapSectionText.Text => message.BodyBytes,
        ImapSectionText.HeaderFields => HeaderSubset(message, section.FieldNames, keep: true),
        ImapSectionText.HeaderFieldsNot => HeaderSubset(message, section.FieldNames, keep: false),
        _ => ReadOnlyMemory<byte>.Empty,
    };

    // The matching fields in message order, then the blank line that ends the
    // header, which subsetting never removes (RFC 3501 §6.4.5).
    private static ReadOnlyMemory<byte> HeaderSubset(MimeEntity message, IReadOnlyList<string> names, bool keep)
    {
        var source = message.Source;
        var subset = new ArrayBufferWriter<byte>();
        foreach (var field in message.Fields)
        {
            if (names.Any(field.Is) == keep)
            {
                subset.Write(source.Span.Slice(field.Range.Start, field.Range.Length));
            }
        }

        subset.Write(source.Span.Slice(message.Separator.Start, message.Separator.Length));
        return subset.WrittenMemory;
    }

    // header-list = "(" header-fld-name *(SP header-fld-name) ")", names being
    // astrings: atoms or quoted strings (a literal arrives already resolved).
    private static bool TryParseHeaderList(ReadOnlySpan<char> list, out List<string> names)
    {
        names = [];
        if (list.Length < 2 || list[0] != '(' || list[^1] != ')')
        {
            return false;
        }

        var tokens = list[1..^1];
        var position = 0;
        while (position < tokens.Length)
        {
            if (names.Count > 0)
            {
                if (tokens[position] != ' ')
                {
                    return false;
                }

                position++;
            }

            if (position < tokens.Length && tokens[position] == '"')
            {
                var name = new System.Text.StringBuilder();
                position++;
                while (position < tokens.Length && tokens[position] != '"')
                {
                    if (tokens[position] == '\\' && position + 1 < tokens.Length)
                    {
                        position++;
                    }

                    name.Append(tokens[position++]);
                }

                if (position++ >= tokens.Length)
                {
                    return false;
                }

                names.Add(name.ToString());
            }
            else
            {
                var start = position;
                while (position < tokens.Length && tokens[position] is not (' ' or '(' or ')' or '"'))
                {
                    position++;
                }

                if (position == start)
                {
                    return false;
                }

                names.Add(tokens[start..position].ToString());
            }
        }

        return names.Count > 0;
    }
}
