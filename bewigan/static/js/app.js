// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

if (document.querySelector("[data-colleague-picker], [data-colleague-picker-list]")) {
  import("./colleague-picker.js");
}

// Autosave (drafts that survive a reload or a lost signal): js/autosave.js.
if (document.querySelector("form[data-autosave], form[action$='/logout/']")) {
  import("./autosave.js");
}
