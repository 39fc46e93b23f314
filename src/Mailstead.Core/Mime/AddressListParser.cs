namespace Mailstead.Core.Mime;

// address-list (RFC 5322 §3.4) including the obsolete forms of §4.4: empty list
// members, routes in angle addresses, CFWS between the dots of local parts and
// domains, phrases with periods. It never fails: what cannot be an address is
// skipped, and a lone word becomes a local part without a domain.
public static class AddressListParser
{
    public static IReadOnlyList<MailAddress> Parse(string value)
    {
        var tokens = new HeaderTokenizer(value);
        var result = new List<MailAddress>();
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.AtEnd)
            {
                return result;
            }

            if (tokens.TryConsume(',') || tokens.TryConsume(';'))
            {
                continue;
            }

            var before = tokens.Position;
            ReadAddress(ref tokens, result, allowGroup: true);
            if (tokens.Position == before)
            {
                tokens.Position++;
            }
        }
    }

    private static void ReadAddress(ref HeaderTokenizer tokens, List<MailAddress> into, bool allowGroup)
    {
        var words = new List<string>();
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.Peek == '"' && !tokens.AtEnd)
            {
                words.Add(tokens.ReadQuotedString());
            }
            else if (tokens.ReadAtom(dotted: true) is { } atom)
            {
                words.Add(atom);
            }
            else
            {
                break;
            }
        }

        var phrase = words.Count > 0 ? string.Join(' ', words) : null;
        switch (tokens.Peek)
        {
            case '<' when !tokens.AtEnd:
                tokens.Position++;
                into.Add(ReadAngleAddress(ref tokens, phrase));
                break;
            case ':' when allowGroup && !tokens.AtEnd:
                tokens.Position++;
                into.Add(new GroupAddress(phrase ?? "", ReadGroupMembers(ref tokens)));
                break;
            case '@' when !tokens.AtEnd:
                tokens.Position++;
                var domain = ReadDomain(ref tokens);
                var trailingComment = tokens.SkipCfws();
                into.Add(new MailboxAddress(NameFromComment(trailingComment), null, string.Concat(words), domain));
                break;
            default:
                // A lone word ("undisclosed-recipients", "root"): a local part
                // without a domain, as mailers that saw it meant it.
                if (words.Count > 0)
                {
                    into.Add(new MailboxAddress(null, null, string.Concat(words), ""));
                }

                break;
        }
    }

    // group = display-name ":" [group-list] ";" — a group cannot nest, so a
    // second ':' is skipped as noise.
    private static List<MailboxAddress> ReadGroupMembers(ref HeaderTokenizer tokens)
    {
        var members = new List<MailAddress>();
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.AtEnd || tokens.TryConsume(';'))
            {
                break;
            }

            if (tokens.TryConsume(','))
            {
                continue;
            }

            var before = tokens.Position;
            ReadAddress(ref tokens, members, allowGroup: false);
            if (tokens.Position == before)
            {
                tokens.Position++;
            }
        }

        return members.OfType<MailboxAddress>().ToList();
    }

    // After '<': [obs-route] addr-spec ">" (RFC 5322 §3.4, §4.4).
    private static MailboxAddress ReadAngleAddress(ref HeaderTokenizer tokens, string? displayName)
    {
        tokens.SkipCfws();
        string? route = null;
        if (tokens.Peek == '@' || tokens.Peek == ',')
        {
            var hops = new List<string>();
            while (true)
            {
                tokens.SkipCfws();
                if (tokens.TryConsume(','))
                {
                    continue;
                }

                if (!tokens.TryConsume('@'))
                {
                    break;
                }

                hops.Add("@" + ReadDomain(ref tokens));
            }

            tokens.TryConsume(':');
            route = hops.Count > 0 ? string.Join(',', hops) : null;
        }

        var localPart = ReadLocalPart(ref tokens);
        tokens.SkipCfws();
        var domain = tokens.TryConsume('@') ? ReadDomain(ref tokens) : "";
        tokens.ReadUntil('>');
        tokens.TryConsume('>');
        return new MailboxAddress(displayName, route, localPart, domain);
    }

    // local-part = dot-atom / quoted-string / obs-local-part, quoting removed.
    private static string ReadLocalPart(ref HeaderTokenizer tokens)
    {
        var local = new System.Text.StringBuilder();
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.Peek == '"' && !tokens.AtEnd)
            {
                local.Append(tokens.ReadQuotedString());
            }
            else if (tokens.ReadAtom(dotted: true) is { } atom)
            {
                local.Append(atom);
            }
            else
            {
                return local.ToString();
            }
        }
    }

    // domain = dot-atom / domain-literal / obs-domain (CFWS around the dots).
    private static string ReadDomain(ref HeaderTokenizer tokens)
    {
        tokens.SkipCfws();
        if (tokens.Peek == '[' && !tokens.AtEnd)
        {
            return tokens.ReadDomainLiteral();
        }

        var domain = new System.Text.StringBuilder();
        while (tokens.ReadAtom(dotted: true) is { } atom)
        {
            domain.Append(atom);
            var mark = tokens.Position;
            tokens.SkipCfws();
            if (tokens.Peek != '.' && domain[^1] != '.')
            {
                tokens.Position = mark;
                break;
            }
        }

        return domain.ToString();
    }

    // "user@host (Real Name)": the comment is the only name there is (RFC 5322
    // §3.4 mentions this use of comments).
    private static string? NameFromComment(string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
