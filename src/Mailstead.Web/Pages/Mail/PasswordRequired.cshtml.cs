using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// Where a user who must change the password lands: the webmail's own password page (My Account) is not built
/// yet, so this says how to do it in the user panel. Every other webmail page sends them here until they have.
/// </summary>
[AllowedBeforePasswordChange]
public sealed class PasswordRequiredModel : PageModel;
