/* Kindred support.js: keeps a support page's [data-support-poll] region
   fresh without a reload. Every 10 seconds (data-poll-seconds to change it)
   it fetches the same page, and when the new region's data-poll-version
   differs it swaps the region in and says data-poll-announce (or, when the
   version lists more ids than before, data-poll-new) in the polite
   [data-support-announce] element. It waits while the person is using
   something inside the region or the tab is hidden, and stops once the
   region carries data-poll-stop. Without it, the page's "Check again" link
   does the same. No dependencies; runs under script-src 'self'. */
(() => {
  "use strict";
  const region = document.querySelector("[data-support-poll]");
  if (!region || !window.fetch || !window.DOMParser || region.hasAttribute("data-poll-stop")) return;
  const announce = document.querySelector("[data-support-announce]");
  const every = (Number(region.dataset.pollSeconds) || 10) * 1000;
  let failures = 0;

  const ids = (v) => new Set((v || "").split(".").filter(Boolean));

  const swap = (next) => {
    const before = ids(region.dataset.pollVersion);
    const added = [...ids(next.dataset.pollVersion)].some((id) => !before.has(id));
    region.replaceChildren(...[...next.childNodes].map((n) => document.importNode(n, true)));
    for (const a of ["pollVersion", "pollAnnounce", "pollNew"]) {
      if (next.dataset[a] === undefined) delete region.dataset[a];
      else region.dataset[a] = next.dataset[a];
    }
    const text = (added && next.dataset.pollNew) || next.dataset.pollAnnounce;
    if (announce && text) {
      announce.textContent = "";
      setTimeout(() => { announce.textContent = text; }, 100); // a fresh change, so it is read again
    }
    return next.hasAttribute("data-poll-stop");
  };

  const tick = async () => {
    if (document.hidden || region.contains(document.activeElement)) return schedule();
    try {
      const res = await fetch(location.pathname + location.search, {
        credentials: "same-origin", cache: "no-store", redirect: "error", headers: { Accept: "text/html" },
      });
      if (!res.ok) throw new Error(String(res.status));
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const next = doc.querySelector("[data-support-poll]");
      if (!next) return; // the page changed shape: the person can reload
      failures = 0;
      if (next.dataset.pollVersion !== region.dataset.pollVersion && swap(next)) return;
    } catch {
      failures++;
      if (failures > 5) return; // offline or signed out: stop quietly
    }
    schedule();
  };

  function schedule() { setTimeout(tick, every * (failures + 1)); }
  schedule();
})();
