using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

/// <summary>The connection states of RFC 3501 §3.</summary>
internal enum ImapState
{
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// <summary>Which commands each state accepts (RFC 3501 §6 groups them the same way).</summary>
internal static class ImapStateTable
{
    public static bool Accepts(ImapState state, ImapCommandName command) => command switch
    {
        // §6.1: valid in any state.
        ImapCommandName.Capability or ImapCommandName.Noop or ImapCommandName.Logout or ImapCommandName.Id => state != ImapState.Logout,

        // §6.2: only before authentication.
        ImapCommandName.StartTls or ImapCommandName.Authenticate or ImapCommandName.Login => state == ImapState.NotAuthenticated,

        // RFC 5161 §3.1: ENABLE only in the authenticated state, before a mailbox is selected.
        ImapCommandName.Enable => state == ImapState.Authenticated,

        // §6.3, plus IDLE (RFC 2177 §3) and NAMESPACE (RFC 2342 §5), which work with or without a selection.
        ImapCommandName.Select or ImapCommandName.Examine or ImapCommandName.Create or ImapCommandName.Delete
            or ImapCommandName.Rename or ImapCommandName.Subscribe or ImapCommandName.Unsubscribe or ImapCommandName.List
            or ImapCommandName.Lsub or ImapCommandName.Status or ImapCommandName.Append or ImapCommandName.Idle
            or ImapCommandName.Namespace => state is ImapState.Authenticated or ImapState.Selected,

        // §6.4, UNSELECT (RFC 3691) and MOVE (RFC 6851).
        ImapCommandName.Check or ImapCommandName.Close or ImapCommandName.Unselect or ImapCommandName.Expunge
            or ImapCommandName.Search or ImapCommandName.Fetch or ImapCommandName.Store or ImapCommandName.Copy
            or ImapCommandName.Move => state == ImapState.Selected,

        _ => false,
    };
}
