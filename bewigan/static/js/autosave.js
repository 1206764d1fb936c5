// Autosave for forms marked data-autosave="<endpoint>": a phone user who
// reloads or loses signal loses nothing. Progressive enhancement: without
// JavaScript the form's own "Save" button does the same job.
//
// - Posts the form (with autosave=1) after a pause in typing, on every
//   change, every 30 seconds while there are unsaved changes, when the
//   connection comes back and when the page is hidden.
// - Says what happened in the form's aria-live status ("Saved at 10:42").
// - While a change has not reached the server, keeps a copy in this
//   browser's localStorage, keyed by the signed-in person
//   (data-autosave-owner) and the endpoint; after a reload it is put back
//   into the form and saved. The copy is deleted as soon as the server has
//   it, when the form is submitted and when the person signs out, so answers
//   never linger on a shared device.

const PREFIX = "bw-autosave:";
const SKIP = new Set(["csrfmiddlewaretoken", "autosave"]);

const time = () =>
  new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

function storage() {
  try {
    const probe = `${PREFIX}probe`;
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null; // private mode or storage disabled: the server copy still works
  }
}

function fields(form) {
  const pairs = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (!SKIP.has(name) && typeof value === "string") pairs.push([name, value]);
  }
  return pairs;
}

function restore(form, pairs) {
  const byName = new Map();
  for (const [name, value] of pairs) {
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(value);
  }
  for (const [name, values] of byName) {
    for (const element of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.includes(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else if (element.type !== "file" && element.type !== "hidden") {
        element.value = values[0];
      }
    }
  }
}

function enhance(form) {
  const endpoint = form.dataset.autosave || form.action;
  const status = form.querySelector("[data-autosave-status]");
  const store = form.dataset.autosaveOwner ? storage() : null;
  const key = `${PREFIX}${form.dataset.autosaveOwner}:${endpoint}`;
  let timer = null;
  let dirty = false;
  let saving = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const keepLocal = () => {
    if (store) store.setItem(key, JSON.stringify({ at: Date.now(), fields: fields(form) }));
  };
  const forgetLocal = () => {
    if (store) store.removeItem(key);
  };

  const save = async ({ keepalive = false } = {}) => {
    clearTimeout(timer);
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    const body = new FormData(form);
    body.set("autosave", "1");
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        body,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        keepalive,
      });
      const answer = response.ok ? await response.json().catch(() => ({})) : {};
      if (response.ok && answer.saved !== false) {
        if (!dirty) forgetLocal();
        say(`Saved at ${time()}`);
      } else {
        dirty = true;
        say(answer.error || "Could not save your draft. Your changes are kept on this device.");
      }
    } catch {
      dirty = true;
      say(`Not saved: no connection. Your changes are kept on this device (${time()}) and will be saved when you are back online.`);
    } finally {
      saving = false;
    }
  };

  const changed = (delay) => {
    dirty = true;
    keepLocal();
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  };

  // After a reload: anything the server never got is put back, then saved.
  if (store) {
    const kept = store.getItem(key);
    if (kept) {
      try {
        restore(form, JSON.parse(kept).fields || []);
        say("We put back changes that had not been saved yet. Saving them now.");
        dirty = true;
        save();
      } catch {
        forgetLocal();
      }
    }
  }

  form.addEventListener("input", () => changed(1500));
  form.addEventListener("change", () => changed(300));
  form.addEventListener("submit", () => {
    clearTimeout(timer);
    dirty = false;
    forgetLocal();
  });
  window.addEventListener("online", () => save());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });
  setInterval(() => save(), 30000);
}

for (const form of document.querySelectorAll("form[data-autosave]")) enhance(form);

// Signing out removes every local copy this browser holds.
for (const form of document.querySelectorAll('form[action$="/logout/"]')) {
  form.addEventListener("submit", () => {
    const store = storage();
    if (!store) return;
    for (const name of Object.keys(store)) if (name.startsWith(PREFIX)) store.removeItem(name);
  });
}
