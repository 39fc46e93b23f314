// Saves what is being written as a draft in Drafts, a few seconds after the last change and when the page is left,
// so nothing is lost to a closed tab or a link followed by mistake. Without this script the form's "Save draft" button does the same.
//
// Each save replaces the draft the previous one made (the server answers with the new draft's UID, which the next
// save and Send carry), so saves run one at a time and Send waits for the one under way. Files chosen in the file
// field go into the draft once; the field is then emptied and the draft's attachments are listed with a box to keep
// each, as the server renders them.

const form = document.querySelector("form[data-compose]");

if (form) {
  const QUIET_MS = 3000;
  const status = form.querySelector("[data-draft-status]");
  const draftUid = form.querySelector("[data-draft-uid]");
  const kept = form.querySelector("[data-draft-attachments]");
  const files = form.querySelector('input[type="file"]');
  const saveButton = form.querySelector("[data-save-draft]");
  let timer = 0;
  let dirty = false;
  let saving = null;
  let picks = 0;
  let leaving = false;

  const schedule = (delay) => {
    if (leaving) return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  };

  const showAttachments = (attachments) => {
    kept.replaceChildren(...attachments.map((attachment) => {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", name: "KeptAttachments", value: attachment.path, checked: true });
      box.dataset.bytes = attachment.bytes;
      const name = Object.assign(document.createElement("span"), { className: "attachment-name", textContent: attachment.name });
      const size = Object.assign(document.createElement("span"), { className: "muted", textContent: attachment.size });
      const label = document.createElement("label");
      label.append(box, " ", name, " ", size);
      const item = document.createElement("li");
      item.append(label);
      return item;
    }));
    kept.hidden = attachments.length === 0;
  };

  async function save() {
    clearTimeout(timer);
    if (saving) await saving;
    if (!dirty || leaving) return;
    dirty = false;
    const picksSent = picks;
    saving = (async () => {
      status.textContent = "Saving draft…";
      try {
        const response = await fetch(saveButton.formAction, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const result = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
        if (!response.ok || !result || result.error) {
          dirty = true;
          status.textContent = result?.error ? `Draft not saved: ${result.error}` : "Draft not saved. Use Save draft, or sign in again if your session ended.";
          return;
        }

        draftUid.value = result.uid;
        // Files picked while this save ran are not in the draft yet: they stay in the field for the next save.
        if (picks === picksSent) files.value = "";
        else schedule(0);
        showAttachments(result.attachments);
        status.textContent = `Draft saved at ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
      } catch {
        dirty = true;
        status.textContent = "Draft not saved: the server could not be reached.";
      } finally {
        saving = null;
      }
    })();
    await saving;
  }

  const fileError = form.querySelector("#Attachments-error");
  const megabytes = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

  // Said before the upload, not after it: the server would refuse the message with the same limit.
  const withinLimit = () => {
    const max = Number(files.dataset.maxBytes);
    const keptBytes = [...kept.querySelectorAll("input:checked")].reduce((sum, box) => sum + Number(box.dataset.bytes), 0);
    const total = [...files.files].reduce((sum, file) => sum + file.size, keptBytes);
    const fits = total <= max;
    fileError.textContent = fits ? "" : `These attachments come to ${megabytes(total)}; a message can carry ${megabytes(max)} in all. Choose smaller files.`;
    if (fits) {
      files.removeAttribute("aria-invalid");
    } else {
      files.setAttribute("aria-invalid", "true");
      files.value = "";
    }

    return fits;
  };

  form.addEventListener("input", (event) => {
    if (event.target === files && !withinLimit()) return;
    if (event.target === files) picks += 1;
    schedule(event.target === files ? 0 : QUIET_MS);
  });

  form.addEventListener("submit", (event) => {
    if (event.submitter === saveButton) {
      event.preventDefault();
      dirty = true;
      save();
      return;
    }

    clearTimeout(timer);
    if (saving) {
      // Send and Discard must name the draft the save under way is making.
      event.preventDefault();
      const submitter = event.submitter;
      saving.then(() => form.requestSubmit(submitter));
      return;
    }

    leaving = true;
  });

  // Leaving with changes not yet saved (a link, the back button, a closed tab): the browser still delivers a beacon.
  // Not while a save is under way: it names the draft that one is replacing, and that save reaches the server anyway.
  window.addEventListener("pagehide", () => {
    if (!leaving && dirty && !saving) navigator.sendBeacon(saveButton.formAction, new FormData(form));
  });
}
