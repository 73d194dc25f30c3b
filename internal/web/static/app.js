/* Kindred app.js: small progressive enhancement. Every page works without it.
   - form[data-confirm="…"]: asks confirm() before submitting.
   - textarea[maxlength]: keeps [data-counter-for=<id>] saying "N characters left"
     (or its data-one / data-many text, "{n}" standing for the number), and
     adds .counter-low near the limit.
   - textarea[data-draft-key]: saves what is typed to sessionStorage (this tab
     only, gone when it closes) and restores it on load, so nothing is lost.
     [data-draft-clear="key …"] on the next page (after a successful submit)
     removes those drafts; quick exit removes all drafts.
   - a[data-quick-exit] (in every page's header), or Esc pressed three times
     within 1.5 s: leaves at once for the link's neutral site, replacing this
     page in the history so Back does not return to it. Nothing is sent to
     our server on the way out.
   - input[data-fill-time-zone]: a fresh form's server default (UTC) is
     replaced by the browser's own IANA time zone.
   - button[data-print] (hidden until this runs): opens the print dialog.
   No inline code, no eval, no dependencies: runs under script-src 'self'. */
(() => {
  "use strict";
  const PREFIX = "kindred:draft:";

  // sessionStorage can be missing or throw (storage disabled, quota full).
  const store = {
    get(k) { try { return sessionStorage.getItem(PREFIX + k); } catch { return null; } },
    set(k, v) { try { if (v) sessionStorage.setItem(PREFIX + k, v); else sessionStorage.removeItem(PREFIX + k); } catch { /* nothing to do */ } },
    clearAll() {
      try {
        for (let i = sessionStorage.length - 1; i >= 0; i--) {
          const k = sessionStorage.key(i);
          if (k && k.startsWith(PREFIX)) sessionStorage.removeItem(k);
        }
      } catch { /* nothing to do */ }
    },
  };

  // (a) Confirm before destructive submits.
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // (c) Drafts. Clear first, so a draft that was just posted is not restored.
  for (const el of document.querySelectorAll("[data-draft-clear]")) {
    for (const k of el.dataset.draftClear.split(/\s+/)) if (k) store.set(k, "");
  }
  for (const ta of document.querySelectorAll("textarea[data-draft-key]")) {
    const key = ta.dataset.draftKey;
    const saved = store.get(key);
    // The draft is newer than what the page was served with; a page that
    // already shows exactly the draft (a form re-rendered after an error)
    // needs nothing.
    if (saved && saved !== ta.value) ta.value = saved;
    ta.addEventListener("input", () => store.set(key, ta.value));
  }

  // (e) Quick exit. Blank the page and turn this history entry into the
  // home page first, so a glance back (or the tab switcher) shows nothing,
  // then replace the entry with the neutral site.
  const exit = document.querySelector("a[data-quick-exit]");
  if (exit) {
    const leave = () => {
      store.clearAll();
      document.title = "";
      document.body.hidden = true;
      try { history.replaceState(null, "", "/"); } catch { /* leave anyway */ }
      location.replace(exit.href);
    };
    exit.addEventListener("click", (e) => { e.preventDefault(); leave(); });
    let presses = [];
    window.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.repeat) return;
      const now = e.timeStamp;
      presses = presses.filter((t) => now - t < 1500);
      presses.push(now);
      if (presses.length >= 3) leave();
    }, true);
  }

  // (d) Time zones: the browser knows the person's; the server can't.
  for (const input of document.querySelectorAll("input[data-fill-time-zone]")) {
    try {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && input.value === input.defaultValue) input.value = zone;
    } catch { /* keep the server's default */ }
  }

  // (e) Print buttons: without the script the page says to use the
  // browser's own Print command instead.
  for (const btn of document.querySelectorAll("button[data-print]")) {
    btn.hidden = false;
    btn.addEventListener("click", () => window.print());
  }

  // (b) Characters-left counters. The counter is usually aria-live, so it is
  // updated after a short pause rather than on every keystroke, to keep
  // screen readers from announcing each character.
  let num;
  try { num = new Intl.NumberFormat(document.documentElement.lang || undefined); } catch { num = new Intl.NumberFormat(); }
  for (const ta of document.querySelectorAll("textarea[maxlength][id]")) {
    const out = document.querySelector(`[data-counter-for="${CSS.escape(ta.id)}"]`);
    const max = ta.maxLength;
    if (!out || max < 0) continue;
    let timer = 0;
    const update = () => {
      const left = max - ta.value.length;
      const text = left === 1 ? out.dataset.one || "{n} character left" : out.dataset.many || "{n} characters left";
      out.textContent = text.replace("{n}", num.format(left));
      out.classList.toggle("counter-low", left <= Math.max(20, max / 10));
    };
    ta.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 400); });
    update();
  }
})();
