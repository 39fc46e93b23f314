// Pop-ups: [data-open-dialog="id"] opens <dialog id> (the opener stays a plain link without JavaScript),
// filling it from data-dialog-fill='{"#selector": "value"}' first; [data-close-dialog] closes it.

function fill(dialog, json) {
  if (!json) return;
  let values;
  try {
    values = JSON.parse(json);
  } catch {
    return;
  }
  for (const [selector, value] of Object.entries(values)) {
    const element = dialog.querySelector(selector);
    if (!element) continue;
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) {
      element.value = value;
    } else {
      element.textContent = value;
    }
  }
}

function reset(dialog) {
  // A pop-up shared by many rows must not carry one mailbox's password or errors over to the next.
  for (const input of dialog.querySelectorAll('input[type="password"], input[autocomplete="new-password"]')) {
    input.value = "";
    input.type = "password";
  }
  for (const toggle of dialog.querySelectorAll("[data-toggle-visibility]")) {
    toggle.setAttribute("aria-pressed", "false");
    toggle.setAttribute("aria-label", "Show password");
    toggle.querySelector("use")?.setAttribute("href", "/img/icons.svg#i-eye");
  }
  for (const error of dialog.querySelectorAll(".field-error")) error.textContent = "";
  for (const input of dialog.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute("aria-invalid");
  for (const box of dialog.querySelectorAll('input[type="checkbox"]')) box.checked = box.defaultChecked;
  for (const list of dialog.querySelectorAll("[data-policy-checklist]")) list.dispatchEvent(new Event("checklist:reset"));
}

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-open-dialog]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.openDialog);
    if (!(dialog instanceof HTMLDialogElement)) return;
    event.preventDefault();
    reset(dialog);
    fill(dialog, opener.dataset.dialogFill);
    dialog.addEventListener("close", () => opener.focus(), { once: true });
    dialog.showModal();
    dialog.querySelector("input:not([readonly]):not([type=hidden]), button:not([data-close-dialog])")?.focus();
    return;
  }

  const closer = event.target.closest("[data-close-dialog]");
  if (closer) {
    closer.closest("dialog")?.close();
    return;
  }

  // A click on the backdrop (the dialog element itself, outside its content box) closes it.
  if (event.target instanceof HTMLDialogElement && event.target.open) {
    const box = event.target.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) event.target.close();
  }
});

// A server-rendered dialog that must show at load (a failed submit re-renders with data-open-on-load).
for (const dialog of document.querySelectorAll("dialog[data-open-on-load]")) dialog.showModal();
