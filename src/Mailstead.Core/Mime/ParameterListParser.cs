using System.Text;

namespace Mailstead.Core.Mime;

// parameter := attribute "=" value (RFC 2045 §5.1), with RFC 2231 continuations
// ("name*0", "name*1") and extended values ("name*=charset'lang'%XX") joined into
// one MimeParameter per name, in order of first appearance.
internal static class ParameterListParser
{
    public static IReadOnlyList<MimeParameter> Parse(ref HeaderTokenizer tokens, MimeParseMode mode)
    {
        var raw = new List<RawParameter>();
        var separated = true;
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.AtEnd)
            {
                break;
            }

            if (tokens.TryConsume(';'))
            {
                separated = true;
                continue;
            }

            if (!separated && mode == MimeParseMode.Strict)
            {
                break;
            }

            separated = false;
            var name = tokens.ReadToken();
            tokens.SkipCfws();
            if (name is null || !tokens.TryConsume('='))
            {
                if (mode == MimeParseMode.Strict)
                {
                    break;
                }

                // Loose: drop the broken parameter and resume at the next one.
                tokens.ReadUntil(';');
                continue;
            }

            tokens.SkipCfws();
            string? value;
            if (tokens.Peek == '"')
            {
                value = tokens.ReadQuotedString();
            }
            else if (mode == MimeParseMode.Loose)
            {
                value = tokens.ReadUntil(';').Trim();
            }
            else
            {
                value = tokens.ReadToken();
                if (value is null)
                {
                    break;
                }
            }

            raw.Add(RawParameter.From(name, value));
        }

        return Assemble(raw, mode);
    }

    private static List<MimeParameter> Assemble(List<RawParameter> raw, MimeParseMode mode)
    {
        var result = new List<MimeParameter>();
        foreach (var sameName in raw.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            var first = sameName.First();
            var rfc2231 = sameName.Where(p => p.Section is not null || p.Extended).ToList();
            result.Add(rfc2231.Count == 0
                ? new MimeParameter(first.Name, first.Value)
                : Join(first.Name, rfc2231, mode));
        }

        return result;
    }

    // RFC 2231 §3-4: sections in numeric order; only the first may carry
    // charset'language'; extended sections are %-encoded octets in that charset.
    private static MimeParameter Join(string name, List<RawParameter> sections, MimeParseMode mode)
    {
        var ordered = sections
            .GroupBy(p => p.Section ?? 0)
            .Select(g => g.First())
            .OrderBy(p => p.Section ?? 0)
            .ToList();
        if (mode == MimeParseMode.Strict)
        {
            ordered = ordered.TakeWhile((p, index) => (p.Section ?? 0) == index).ToList();
        }

        string? charset = null;
        string? language = null;
        var octets = new List<byte>();
        var extended = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            var value = ordered[i].Value;
            if (ordered[i].Extended)
            {
                if (i == 0)
                {
                    var quote1 = value.IndexOf('\'', StringComparison.Ordinal);
                    var quote2 = quote1 < 0 ? -1 : value.IndexOf('\'', quote1 + 1);
                    if (quote2 >= 0)
                    {
                        charset = value[..quote1];
                        language = quote2 > quote1 + 1 ? value[(quote1 + 1)..quote2] : null;
                        value = value[(quote2 + 1)..];
                    }
                }

                extended = true;
                PercentDecode(value, octets);
            }
            else
            {
                octets.AddRange(Encoding.UTF8.GetBytes(value));
            }
        }

        var bytes = octets.ToArray();
        if (!extended)
        {
            return new MimeParameter(name, Encoding.UTF8.GetString(bytes));
        }

        charset = string.IsNullOrEmpty(charset) ? "us-ascii" : charset;
        return new MimeParameter(name, MimeCharsets.Decode(bytes, charset), charset, language);
    }

    private static void PercentDecode(string value, List<byte> octets)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && TransferDecoder.HexValue(value[i + 1]) is var high and >= 0
                && TransferDecoder.HexValue(value[i + 2]) is var low and >= 0)
            {
                octets.Add((byte)((high << 4) | low));
                i += 2;
            }
            else
            {
                // A stray '%' or a character that should have been encoded: keep it.
                octets.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }
    }

    private sealed record RawParameter(string Name, int? Section, bool Extended, string Value)
    {
        // "name", "name*", "name*3", "name*3*"; anything else is a plain name.
        public static RawParameter From(string name, string value)
        {
            var star = name.IndexOf('*', StringComparison.Ordinal);
            if (star <= 0)
            {
                return new RawParameter(name, null, false, value);
            }

            var baseName = name[..star];
            var rest = name.AsSpan(star + 1);
            if (rest.IsEmpty)
            {
                return new RawParameter(baseName, null, true, value);
            }

            var extended = rest.EndsWith("*");
            if (extended)
            {
                rest = rest[..^1];
            }

            return int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var section)
                ? new RawParameter(baseName, section, extended, value)
                : new RawParameter(name, null, false, value);
        }
    }
}
