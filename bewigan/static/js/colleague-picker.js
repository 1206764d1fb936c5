// Colleague pickers: an ARIA 1.2 combobox (list autocomplete) over a plain
// text input that already works without JavaScript (name or work email; the
// server resolves and checks it). No framework, no inline script or style.
//
//   <input data-colleague-picker="/people/find/suggest/?scope=hr">
//       becomes the combobox itself: choosing fills it with "Name (email)".
//   <textarea data-colleague-picker-list="/people/find/suggest/">
//       (one person a line) gets an "Add a colleague" combobox above it that
//       appends the chosen person as a new line.

const stylesheet = document.createElement("link");
stylesheet.rel = "stylesheet";
stylesheet.href = new URL("../css/components.css", import.meta.url).href;
document.head.append(stylesheet);

let counter = 0;

function combobox(input, source, onChoose) {
  counter += 1;
  const listId = `colleague-picker-${counter}-list`;
  const wrapper = document.createElement("div");
  wrapper.className = "bw-picker";
  input.parentNode.insertBefore(wrapper, input);
  wrapper.append(input);

  const list = document.createElement("ul");
  list.id = listId;
  list.className = "bw-picker__list";
  list.setAttribute("role", "listbox");
  const label = input.labels && input.labels[0];
  if (label) {
    if (!label.id) label.id = `${listId}-label`;
    list.setAttribute("aria-labelledby", label.id);
  }
  list.hidden = true;
  wrapper.append(list);

  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  wrapper.append(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");
  const hintId = `${listId}-hint`;
  const hint = document.createElement("span");
  hint.id = hintId;
  hint.className = "govuk-visually-hidden";
  hint.textContent = "When suggestions appear, use the up and down arrows to move through them and Enter to choose.";
  wrapper.append(hint);
  input.setAttribute(
    "aria-describedby",
    [input.getAttribute("aria-describedby"), hintId].filter(Boolean).join(" "),
  );

  let results = [];
  let active = -1;
  let timer = null;
  let request = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (index) => {
    const options = list.querySelectorAll("[role=option]");
    options.forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("bw-picker__option--active", i === index);
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const choose = (index) => {
    const chosen = results[index];
    if (!chosen) return;
    close();
    onChoose(chosen);
    status.textContent = `${chosen.name} chosen`;
  };

  const render = () => {
    list.replaceChildren();
    results.forEach((result, i) => {
      const option = document.createElement("li");
      option.id = `${listId}-${i}`;
      option.className = "bw-picker__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.className = "bw-picker__name";
      name.textContent = result.name;
      const detail = document.createElement("span");
      detail.className = "bw-picker__detail";
      detail.textContent = result.detail;
      option.append(name, detail);
      // mousedown, not click: it runs before the input loses focus.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(option);
    });
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    status.textContent = results.length
      ? `${results.length} ${results.length === 1 ? "colleague" : "colleagues"} found`
      : "No colleagues found";
  };

  const lookup = async () => {
    const q = input.value.trim();
    if (q.length < 2 || q.includes("@")) {
      results = [];
      close();
      return;
    }
    const mine = ++request;
    const url = new URL(source, window.location.href);
    url.searchParams.set("q", q);
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok || mine !== request) return;
      results = (await response.json()).results || [];
      active = -1;
      render();
    } catch {
      // Offline: the plain input still works; the server checks what was typed.
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 200);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && results.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        if (results.length) render();
        highlight(0);
      } else {
        highlight((active + 1) % results.length);
      }
    } else if (event.key === "ArrowUp") {
      if (!open) return;
      event.preventDefault();
      highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

for (const input of document.querySelectorAll("input[data-colleague-picker]")) {
  combobox(input, input.dataset.colleaguePicker, (chosen) => {
    input.value = chosen.value;
  });
}

for (const area of document.querySelectorAll("textarea[data-colleague-picker-list]")) {
  counter += 1;
  const group = document.createElement("div");
  group.className = "govuk-form-group";
  const id = `colleague-picker-add-${counter}`;
  const label = document.createElement("label");
  label.className = "govuk-label govuk-label--s";
  label.htmlFor = id;
  label.textContent = "Add a colleague by name";
  const input = document.createElement("input");
  input.className = "govuk-input";
  input.id = id;
  input.type = "text";
  input.spellcheck = false;
  group.append(label, input);
  const formGroup = area.closest(".govuk-form-group") || area;
  formGroup.parentNode.insertBefore(group, formGroup);
  combobox(input, area.dataset.colleaguePickerList, (chosen) => {
    const lines = area.value.split("\n").map((l) => l.trim()).filter(Boolean);
    if (!lines.includes(chosen.value)) lines.push(chosen.value);
    area.value = `${lines.join("\n")}\n`;
    input.value = "";
  });
}
