using System.Globalization;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Web.Webmail;
using Microsoft.AspNetCore.Mvc;

namespace Mailstead.Web.Pages.Mail;

/// <summary>The message list of a folder: sorted, searched, a page at a time; a form around it acts on the rows ticked.</summary>
public sealed class IndexModel(UserMailService mail, TimeProvider time) : MailPageModel(mail)
{
    public const int PageSize = 50;

    [FromQuery(Name = "folder")]
    public long? FolderId { get; set; }

    [FromQuery(Name = "sort")]
    public string Sort { get; set; } = "date";

    [FromQuery(Name = "dir")]
    public string Direction { get; set; } = "";

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "subject")]
    public string? Subject { get; set; }

    [FromQuery(Name = "body")]
    public string? Body { get; set; }

    [FromQuery(Name = "since")]
    public DateOnly? Since { get; set; }

    [FromQuery(Name = "until")]
    public DateOnly? Until { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public FolderSummary Folder { get; private set; } = null!;

    public MessageListing Listing { get; private set; } = new([], 0, 0, false);

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public bool Searching => new[] { From, To, Subject, Body }.Any(t => !string.IsNullOrWhiteSpace(t)) || Since is not null || Until is not null;

    /// <summary>The search in words: from “ann”, subject “flight”, received from 2026-11-01.</summary>
    public string SearchSummary => string.Join(", ", new[]
    {
        Term("from", From), Term("to", To), Term("subject", Subject), Term("text", Body),
        Since is { } since ? "received from " + since.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : null,
        Until is { } until ? "until " + until.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : null,
    }.Where(t => t is not null));

    private static string? Term(string name, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{name} “{value.Trim()}”";

    public bool Descending => Direction != "asc" && (Direction == "desc" || Sort == "date");

    public int PageCount => Math.Max(1, (Listing.Total + PageSize - 1) / PageSize);

    public int FirstShown => Listing.Total == 0 ? 0 : ((PageNumber - 1) * PageSize) + 1;

    public int LastShown => FirstShown + Listing.Items.Count - (Listing.Items.Count > 0 ? 1 : 0);

    public async Task<IActionResult> OnGetAsync()
    {
        var folder = FolderId is { } id ? FolderById(id) : Inbox;
        if (folder is null)
        {
            return NotFound();
        }

        Folder = folder;
        CurrentFolderId = folder.Folder.Id;
        PageNumber = Math.Max(1, PageNumber);
        var search = new MailSearch(new MessageListQuery
        {
            Sort = Sort switch { "from" => MessageSort.Sender, "subject" => MessageSort.Subject, _ => MessageSort.Date },
            Descending = Descending,
            Offset = (PageNumber - 1) * PageSize,
            Limit = PageSize,
            From = From?.Trim(),
            Subject = Subject?.Trim(),
            Since = Since?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            Before = Until?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        })
        {
            To = To?.Trim(),
            Body = Body?.Trim(),
        };
        var listed = await Mail.ListAsync(Address, folder.Folder.Id, search, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return listed.Problem.Kind == ProblemKind.NotFound ? NotFound() : Forbid();
        }

        Listing = listed.Value;
        return Page();
    }

    /// <summary>This list's URL with some query values changed (sorting, paging), the search kept.</summary>
    public string With(string? sort = null, string? direction = null, int? page = null)
    {
        var query = new List<string> { "folder=" + Folder.Folder.Id.ToString(CultureInfo.InvariantCulture) };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("sort", sort ?? (Sort == "date" ? null : Sort));
        Add("dir", direction ?? (Direction.Length > 0 ? Direction : null));
        Add("from", From);
        Add("to", To);
        Add("subject", Subject);
        Add("body", Body);
        Add("since", Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("until", Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var number = page ?? PageNumber;
        if (number > 1)
        {
            query.Add("page=" + number.ToString(CultureInfo.InvariantCulture));
        }

        return "/mail?" + string.Join('&', query);
    }

    /// <summary>The link of a column header: sorts by it, or turns the order round when it is the sort already.</summary>
    public string SortLink(string column) =>
        With(column, Sort == column ? (Descending ? "asc" : "desc") : column == "date" ? "desc" : "asc", 1);

    public string? SortState(string column) => Sort == column ? (Descending ? "descending" : "ascending") : null;
}
