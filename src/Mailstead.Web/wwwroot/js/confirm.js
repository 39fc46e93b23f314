// form[data-confirm="Question?"] asks before submitting (delete, end sessions). Without JavaScript the form
// simply submits: every such action is also undoable or audited.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
