// Progressive enhancement for a subject access request's status page: poll
// the page's progress (JSON) every two seconds and update the bar; reload
// once the work is done. Without JavaScript a <noscript> refresh does the same.
const box = document.querySelector("[data-sar-progress]");
if (box) {
  const bar = box.querySelector("progress");
  const percent = box.querySelector("[data-sar-percent]");
  const message = box.querySelector("[data-sar-message]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, {
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const state = await response.json();
      if (!state.working) {
        window.location.reload();
        return;
      }
      bar.value = state.progress;
      bar.textContent = `${state.progress}%`;
      percent.textContent = `${state.progress}%`;
      if (state.message) message.textContent = state.message;
    } catch {
      // A blip: keep polling; the "Check progress now" link still works.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
