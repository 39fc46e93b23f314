using System.Buffers;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Imap.Body;

// The ENVELOPE, BODY and BODYSTRUCTURE fetch items (RFC 3501 §7.4.2; grammar
// "envelope", "body" and friends in §9), written from a parsed MimeEntity.
//
//   ImapBodyWriter.WriteEnvelope(output, message.Root);
//   ImapBodyWriter.WriteBodyStructure(output, message.Root, extensible: true);  // BODYSTRUCTURE
//   ImapBodyWriter.WriteBodyStructure(output, message.Root, extensible: false); // BODY
//
// Types, subtypes, parameter names and encodings keep the case the message has,
// and the defaults are written in lower case, as Dovecot does.
internal static class ImapBodyWriter
{
    public static void WriteEnvelope(IBufferWriter<byte> output, MimeEntity message) =>
        WriteEnvelope(new ImapWriter(output), message);

    public static void WriteBodyStructure(IBufferWriter<byte> output, MimeEntity entity, bool extensible) =>
        WriteBody(new ImapWriter(output), entity, extensible);

    // envelope = "(" env-date SP env-subject SP env-from SP env-sender SP
    //   env-reply-to SP env-to SP env-cc SP env-bcc SP env-in-reply-to SP
    //   env-message-id ")"
    private static void WriteEnvelope(ImapWriter writer, MimeEntity message)
    {
        // Date, Subject, In-Reply-To, Message-ID: NIL when absent, "" when empty.
        // From, To, Cc, Bcc: NIL when absent or empty. Sender and Reply-To default
        // to From when absent or empty.
        var from = Addresses(message, "From");
        var sender = Addresses(message, "Sender");
        var replyTo = Addresses(message, "Reply-To");
        writer.Raw((byte)'(')
            .NString(message.Field("Date")?.Value).Space()
            .NString(message.Field("Subject")?.Value).Space();
        WriteAddresses(writer, from);
        writer.Space();
        WriteAddresses(writer, sender.Count > 0 ? sender : from);
        writer.Space();
        WriteAddresses(writer, replyTo.Count > 0 ? replyTo : from);
        writer.Space();
        WriteAddresses(writer, Addresses(message, "To"));
        writer.Space();
        WriteAddresses(writer, Addresses(message, "Cc"));
        writer.Space();
        WriteAddresses(writer, Addresses(message, "Bcc"));
        writer.Space()
            .NString(message.Field("In-Reply-To")?.Value).Space()
            .NString(message.Field("Message-ID")?.Value)
            .Raw((byte)')');
    }

    private static IReadOnlyList<MailAddress> Addresses(MimeEntity message, string field) =>
        message.Field(field) is { } header ? AddressListParser.Parse(header.Value) : [];

    // address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"; a group
    // is a start marker (NIL NIL name NIL), its members, and an end marker
    // (NIL NIL NIL NIL) (RFC 3501 §7.4.2 ENVELOPE).
    private static void WriteAddresses(ImapWriter writer, IReadOnlyList<MailAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            writer.Nil();
            return;
        }

        writer.Raw((byte)'(');
        foreach (var address in addresses)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    WriteMailbox(writer, mailbox);
                    break;
                case GroupAddress group:
                    writer.Raw("(NIL NIL "u8).String(group.DisplayName).Raw(" NIL)"u8);
                    foreach (var member in group.Members)
                    {
                        WriteMailbox(writer, member);
                    }

                    writer.Raw("(NIL NIL NIL NIL)"u8);
                    break;
            }
        }

        writer.Raw((byte)')');
    }

    private static void WriteMailbox(ImapWriter writer, MailboxAddress mailbox) =>
        writer.Raw((byte)'(')
            .NString(mailbox.DisplayName).Space()
            .NString(mailbox.Route).Space()
            .String(mailbox.LocalPart).Space()
            .String(mailbox.Domain)
            .Raw((byte)')');

    // body = "(" (body-type-1part / body-type-mpart) ")"
    private static void WriteBody(ImapWriter writer, MimeEntity entity, bool extensible)
    {
        writer.Raw((byte)'(');
        if (entity.Kind == MimeEntityKind.Multipart)
        {
            WriteMultipart(writer, entity, extensible);
        }
        else
        {
            WriteSinglePart(writer, entity, extensible);
        }

        writer.Raw((byte)')');
    }

    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    // body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
    private static void WriteMultipart(ImapWriter writer, MimeEntity entity, bool extensible)
    {
        foreach (var child in entity.Children)
        {
            WriteBody(writer, child, extensible);
        }

        writer.Space().String(entity.ContentType.MediaSubtype);
        if (extensible)
        {
            writer.Space();
            WriteParameters(writer, entity.ContentType.Parameters, addDefaultCharset: false);
            WriteExtensionTail(writer, entity);
        }
    }

    // body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
    // body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
    // body-type-msg   = media-message SP body-fields SP envelope SP body SP body-fld-lines
    // body-type-text  = media-text SP body-fields SP body-fld-lines
    // body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
    private static void WriteSinglePart(ImapWriter writer, MimeEntity entity, bool extensible)
    {
        var contentType = entity.ContentType;
        var (type, subtype) = (contentType.MediaType, contentType.MediaSubtype);
        if (entity.Kind == MimeEntityKind.Leaf && (contentType.IsMultipart || contentType.IsMessageRfc822))
        {
            // A composite type kept opaque (limits, no parts, encoded message) has no
            // form in the grammar: body-type-mpart needs 1*body, body-type-msg an
            // envelope, and body-type-basic forbids MESSAGE/RFC822. Say what it is.
            (type, subtype) = ("application", "octet-stream");
        }

        writer.String(type).Space().String(subtype).Space();
        WriteParameters(writer, contentType.Parameters, addDefaultCharset: contentType.IsText);
        writer.Space().NString(entity.ContentId)
            .Space().NString(entity.ContentDescription)
            .Space().String(entity.TransferEncoding)
            .Space().Number(entity.Body.Length);
        if (entity.Message is { } embedded)
        {
            writer.Space();
            WriteEnvelope(writer, embedded);
            writer.Space();
            WriteBody(writer, embedded, extensible);
            writer.Space().Number(entity.BodyLines);
        }
        else if (contentType.IsText)
        {
            writer.Space().Number(entity.BodyLines);
        }

        if (extensible)
        {
            writer.Space().NString(entity.ContentMd5);
            WriteExtensionTail(writer, entity);
        }
    }

    // SP body-fld-dsp SP body-fld-lang SP body-fld-loc, shared by both kinds.
    // body-fld-dsp  = "(" string SP body-fld-param ")" / nil
    // body-fld-lang = nstring / "(" string *(SP string) ")"
    private static void WriteExtensionTail(ImapWriter writer, MimeEntity entity)
    {
        writer.Space();
        if (entity.ContentDisposition is { } disposition)
        {
            writer.Raw((byte)'(').String(disposition.Disposition).Space();
            WriteParameters(writer, disposition.Parameters, addDefaultCharset: false);
            writer.Raw((byte)')');
        }
        else
        {
            writer.Nil();
        }

        writer.Space();
        if (entity.ContentLanguage.Count == 0)
        {
            writer.Nil();
        }
        else
        {
            writer.Raw((byte)'(');
            for (var i = 0; i < entity.ContentLanguage.Count; i++)
            {
                if (i > 0)
                {
                    writer.Space();
                }

                writer.String(entity.ContentLanguage[i]);
            }

            writer.Raw((byte)')');
        }

        writer.Space().NString(entity.ContentLocation);
    }

    // body-fld-param = "(" string SP string *(SP string SP string) ")" / nil.
    // A text part without a charset gets charset us-ascii, the RFC 2046 §4.1.2
    // default (Dovecot adds it the same way).
    private static void WriteParameters(ImapWriter writer, IReadOnlyList<MimeParameter> parameters, bool addDefaultCharset)
    {
        addDefaultCharset &= !parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase));
        if (parameters.Count == 0 && !addDefaultCharset)
        {
            writer.Nil();
            return;
        }

        writer.Raw((byte)'(');
        var first = true;
        foreach (var parameter in parameters)
        {
            var (name, value) = parameter.ToWireForm();
            if (!first)
            {
                writer.Space();
            }

            writer.String(name).Space().String(value);
            first = false;
        }

        if (addDefaultCharset)
        {
            writer.Raw(first ? "\"charset\" \"us-ascii\""u8 : " \"charset\" \"us-ascii\""u8);
        }

        writer.Raw((byte)')');
    }
}
