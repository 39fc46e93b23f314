// The webmail's small conveniences. Every action is a plain form or link that works without this script;
// this adds keyboard shortcuts, whole-row clicks, "select all", local times, a frame that fits its message, and a
// list and folder counts that follow changes made elsewhere (a delivery, a mail program, another browser) as they happen.
//
// List: j / k next / previous message, o or Enter open, x select, s flag, # delete, / search.
// Message: u back to the list, s flag, # delete.

let list = null;
let rows = [];
let current = -1;
const DRAGGED = "application/x-mailstead-uids";

function typing(event) {
  const target = event.target;
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
}

function focusRow(index) {
  if (rows.length === 0) return;
  current = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((row, i) => row.classList.toggle("is-current", i === current));
  rows[current].scrollIntoView({ block: "nearest" });
}

function submitList(action) {
  const button = list?.querySelector(`button[name="do"][value="${action}"]`);
  if (!button) return;
  const checked = list.querySelectorAll('input[name="uid"]:checked').length > 0;
  if (!checked && current >= 0) rows[current].querySelector('input[name="uid"]').checked = true;
  list.requestSubmit(button);
}

// Run at load and again on each list the page fetches in place.
function setUpList() {
  list = document.querySelector("#message-list");
  rows = list ? [...list.querySelectorAll("tbody tr[data-href]")] : [];
  if (!list) return;

  const selectAll = list.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.closest("label").hidden = false;
    selectAll.addEventListener("change", () => {
      list.querySelectorAll('input[name="uid"]').forEach((box) => { box.checked = selectAll.checked; });
    });
  }

  for (const row of rows) {
    row.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest("a, input, label, button")) return;
      window.location.href = row.dataset.href;
    });
    // Dragged onto a folder, the row moves there (with the other selected rows, when it is one of them).
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      const own = row.querySelector('input[name="uid"]');
      const uids = own.checked
        ? [...list.querySelectorAll('input[name="uid"]:checked')].map((box) => box.value)
        : [own.value];
      event.dataTransfer.setData(DRAGGED, uids.join(","));
      event.dataTransfer.effectAllowed = "move";
    });
  }

  list.addEventListener("submit", (event) => {
    if (event.submitter?.value === "delete" && list.dataset.confirmDelete && !event.defaultPrevented
        && !window.confirm(list.dataset.confirmDelete)) {
      event.preventDefault();
    }
  });
}

// Times are written in UTC by the server; show them in the reader's own zone.
function localTimes(root) {
  for (const time of root.querySelectorAll("time[datetime]")) {
    const date = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    const now = new Date();
    const options = time.hasAttribute("data-long")
      ? { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }
      : date.toDateString() === now.toDateString() ? { hour: "2-digit", minute: "2-digit" }
      : date.getFullYear() === now.getFullYear() ? { day: "numeric", month: "short" }
      : { day: "numeric", month: "short", year: "numeric" };
    time.textContent = date.toLocaleString(undefined, options);
    time.title = date.toLocaleString();
  }
}

setUpList();
localTimes(document);

// A folder in the list takes messages dragged onto it: the list's own Move form does the moving, so what happens is
// what the toolbar does (and what works without this script).
const folderNav = document.querySelector(".mail-folders");
const dropTarget = (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-folder-id]") : null;
  const move = list?.querySelector("#move-target");
  return link && move && event.dataTransfer.types.includes(DRAGGED)
    && [...move.options].some((option) => option.value === link.dataset.folderId) ? link : null;
};
folderNav?.addEventListener("dragover", (event) => {
  const link = dropTarget(event);
  if (!link) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  link.classList.add("is-drop-target");
});
folderNav?.addEventListener("dragleave", (event) => {
  if (event.target instanceof Element) event.target.closest("a")?.classList.remove("is-drop-target");
});
folderNav?.addEventListener("drop", (event) => {
  const link = dropTarget(event);
  if (!link) return;
  event.preventDefault();
  link.classList.remove("is-drop-target");
  const uids = new Set(event.dataTransfer.getData(DRAGGED).split(","));
  list.querySelectorAll('input[name="uid"]').forEach((box) => { box.checked = uids.has(box.value); });
  list.querySelector("#move-target").value = link.dataset.folderId;
  list.requestSubmit(list.querySelector('button[name="do"][value="move"]'));
});

// The message frame is same-origin (sandboxed without scripts), so its height can be read from here.
const frame = document.querySelector("iframe.message-frame");
if (frame) {
  const fit = () => {
    const body = frame.contentDocument?.documentElement;
    if (body) frame.style.height = `${Math.max(200, body.scrollHeight + 8)}px`;
  };
  frame.addEventListener("load", () => { fit(); setTimeout(fit, 300); });
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
  const reader = document.querySelector("[data-reader]");
  switch (event.key) {
    case "j": focusRow(current + 1); break;
    case "k": focusRow(current - 1); break;
    case "o":
    case "Enter":
      if (current >= 0) window.location.href = rows[current].dataset.href;
      else return;
      break;
    case "x":
      if (current >= 0) { const box = rows[current].querySelector('input[name="uid"]'); box.checked = !box.checked; }
      break;
    case "s":
      if (reader) reader.querySelector('[data-shortcut="flag"]')?.click();
      else submitList("flag");
      break;
    case "#":
      if (reader) reader.querySelector('[data-shortcut="delete"]')?.click();
      else submitList("delete");
      break;
    case "u":
      if (reader) reader.querySelector('[data-shortcut="back"]')?.click();
      else return;
      break;
    case "r":
      if (reader) reader.querySelector('[data-shortcut="reply"]')?.click();
      else return;
      break;
    case "c":
      location.href = "/mail/compose";
      break;
    case "/": {
      const search = document.querySelector(".search-panel");
      if (!search) return;
      search.open = true;
      search.querySelector("input[type=text]")?.focus();
      break;
    }
    default: return;
  }
  event.preventDefault();
});

// The server tells open pages when mail changed (/mail/events, server-sent events that carry no mail). The list page
// fetches itself again and swaps in the new list and folder counts, keeping what is selected; a message page updates
// the folder counts. Not while the user is typing in the page, and never on a form being written (compose, password).
const reader = document.querySelector("[data-reader]");
if (list || reader) {
  const events = new EventSource("/mail/events");
  let refreshing = false;
  let again = false;

  const busy = () => {
    const active = document.activeElement;
    return active instanceof HTMLElement && active.closest("#main") && ["INPUT", "SELECT", "TEXTAREA"].includes(active.tagName)
      && !(active instanceof HTMLInputElement && active.type === "checkbox");
  };

  const swap = (next) => {
    document.querySelector(".mail-folders ul")?.replaceWith(next.querySelector(".mail-folders ul"));
    if (!list) return;
    const main = document.querySelector("#main");
    const checked = new Set([...list.querySelectorAll('input[name="uid"]:checked')].map((box) => box.value));
    const focused = rows[current]?.querySelector('input[name="uid"]')?.value;
    const searchOpen = main.querySelector(".search-panel")?.open;
    main.replaceChildren(...document.adoptNode(next.querySelector("#main")).childNodes);
    if (searchOpen) main.querySelector(".search-panel")?.setAttribute("open", "");
    for (const box of main.querySelectorAll('input[name="uid"]')) box.checked = checked.has(box.value);
    setUpList();
    localTimes(main);
    const index = rows.findIndex((row) => row.querySelector('input[name="uid"]').value === focused);
    if (index >= 0) focusRow(index);
    else current = -1;
  };

  const refresh = async () => {
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      do {
        again = false;
        while (busy()) await new Promise((resolve) => { setTimeout(resolve, 2000); });
        // A message page refreshes only the counts: fetching it again would mark it read again.
        const url = list ? location.href : reader.querySelector('[data-shortcut="back"]').href;
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (response.redirected || !response.ok) {
          location.reload();
          return;
        }

        swap(new DOMParser().parseFromString(await response.text(), "text/html"));
      } while (again);
    } finally {
      refreshing = false;
    }
  };

  events.addEventListener("changed", refresh);
  events.addEventListener("signed-out", () => { events.close(); location.href = "/mail/login?expired=1"; });
  events.addEventListener("idle", () => events.close());
  // Once the user acts, this page is done: a reply from the server must not race the page being left.
  document.addEventListener("submit", (event) => { if (!event.defaultPrevented) events.close(); });
}
