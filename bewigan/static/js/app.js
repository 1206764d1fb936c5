// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

if (document.querySelector("[data-colleague-picker], [data-colleague-picker-list]")) {
  import("./colleague-picker.js");
}

// Autosave: forms marked data-autosave post their fields in the background
// after a pause in typing, then show when they were last saved.
for (const form of document.querySelectorAll("form[data-autosave]")) {
  let timer = null;
  const status = form.querySelector("[data-autosave-status]");
  const save = async () => {
    const body = new FormData(form);
    body.set("autosave", "1");
    try {
      const response = await fetch(form.dataset.autosave || form.action, {
        method: "POST",
        body,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (status) {
        status.textContent = response.ok
          ? `Draft saved at ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`
          : "Could not save your draft. Your changes are still on this page.";
      }
    } catch {
      if (status) status.textContent = "Could not save your draft. Check your connection.";
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
}
