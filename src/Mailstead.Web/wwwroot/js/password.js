// Password fields: show/hide, the refresh-arrow generator (Web Crypto), copy, and the live policy checklist.
// The server judges every password again on submit; this only helps the person typing.

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "-_.!@#%+=?";

function randomIndex(n) {
  // Rejection sampling: no modulo bias.
  const limit = Math.floor(0x100000000 / n) * n;
  const buffer = new Uint32Array(1);
  do {
    crypto.getRandomValues(buffer);
  } while (buffer[0] >= limit);
  return buffer[0] % n;
}

function pick(alphabet) {
  return alphabet[randomIndex(alphabet.length)];
}

export function generatePassword({ minLength = 12, upper = false, lower = false, digit = false, symbol = false } = {}) {
  const length = Math.max(20, minLength);
  const alphabet = LOWER + UPPER + DIGITS + (symbol ? SYMBOLS : "");
  const chars = Array.from({ length }, () => pick(alphabet));
  const required = [[upper, UPPER], [lower, LOWER], [digit, DIGITS], [symbol, SYMBOLS]].filter(([on]) => on).map(([, set]) => set);
  const positions = Array.from({ length }, (_, i) => i);
  for (let i = positions.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [positions[i], positions[j]] = [positions[j], positions[i]];
  }
  required.forEach((set, i) => { chars[positions[i]] = pick(set); });
  return chars.join("");
}

function setVisible(input, visible) {
  input.type = visible ? "text" : "password";
  const field = input.closest(".password-field");
  const toggle = field?.querySelector("[data-toggle-visibility]");
  if (!toggle) return;
  toggle.setAttribute("aria-pressed", String(visible));
  toggle.setAttribute("aria-label", visible ? "Hide password" : "Show password");
  toggle.querySelector("use")?.setAttribute("href", `/img/icons.svg#${visible ? "i-eye-off" : "i-eye"}`);
}

function tokenFor(element) {
  const form = element.closest("form") ?? document;
  return form.querySelector('input[name="__RequestVerificationToken"]')?.value ?? "";
}

function renderCriteria(list, criteria) {
  const seen = new Set();
  for (const { id, state, sentence } of criteria) {
    seen.add(id);
    let item = list.querySelector(`li[data-criterion="${CSS.escape(id)}"]`);
    if (!item) {
      item = document.createElement("li");
      item.dataset.criterion = id;
      list.append(item);
    }
    item.dataset.state = state;
    item.textContent = sentence;
  }
  for (const item of list.querySelectorAll("li[data-criterion]")) {
    if (!seen.has(item.dataset.criterion)) item.remove();
  }
}

function initChecklist(list) {
  const input = document.getElementById(list.dataset.for);
  if (!input) return;
  const current = list.dataset.current ? document.getElementById(list.dataset.current) : null;
  const address = list.dataset.address ? document.getElementById(list.dataset.address) : null;
  let timer = 0;
  let sequence = 0;

  const check = async () => {
    const mine = ++sequence;
    const body = { password: input.value, currentPassword: current?.value || null };
    if (address) body.address = address.value;
    try {
      const response = await fetch(list.dataset.checkUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "RequestVerificationToken": tokenFor(list) },
        body: JSON.stringify(body),
      });
      if (!response.ok || mine !== sequence) return;
      const result = await response.json();
      if (mine === sequence && Array.isArray(result.criteria)) renderCriteria(list, result.criteria);
    } catch {
      // Offline or signed out: leave the list as it is; the server still checks on submit.
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  };
  input.addEventListener("input", schedule);
  current?.addEventListener("input", schedule);
  list.addEventListener("checklist:reset", () => {
    sequence++;
    for (const item of list.querySelectorAll("li[data-criterion]")) item.dataset.state = "pending";
  });
}

function onClick(event) {
  const toggle = event.target.closest("[data-toggle-visibility]");
  if (toggle) {
    const input = toggle.closest(".password-field")?.querySelector("input");
    if (input) setVisible(input, input.type === "password");
    return;
  }

  const generate = event.target.closest("[data-generate]");
  if (generate) {
    const target = document.getElementById(generate.dataset.target);
    if (!target) return;
    const password = generatePassword({
      minLength: Number(generate.dataset.minLength) || 12,
      upper: generate.hasAttribute("data-require-upper"),
      lower: generate.hasAttribute("data-require-lower"),
      digit: generate.hasAttribute("data-require-digit"),
      symbol: generate.hasAttribute("data-require-symbol"),
    });
    for (const input of [target, document.getElementById(generate.dataset.confirm ?? "")]) {
      if (!input) continue;
      input.value = password;
      setVisible(input, true);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    target.focus();
    return;
  }

  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const input = document.getElementById(copy.dataset.target);
    if (!input?.value || !navigator.clipboard) return;
    navigator.clipboard.writeText(input.value).then(() => {
      const label = copy.querySelector(".copy-label");
      copy.classList.add("is-copied");
      copy.setAttribute("aria-label", "Copied");
      if (label) label.textContent = "Copied";
      setTimeout(() => {
        copy.classList.remove("is-copied");
        copy.setAttribute("aria-label", "Copy password");
        if (label) label.textContent = "Copy";
      }, 2000);
    }, () => {});
  }
}

document.addEventListener("click", onClick);
// These buttons need this script, so the markup keeps them hidden until it runs.
for (const button of document.querySelectorAll("[data-toggle-visibility], [data-generate], [data-copy]")) button.hidden = false;
for (const list of document.querySelectorAll("[data-policy-checklist]")) initChecklist(list);
