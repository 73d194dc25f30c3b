/* Kindred chat.js: makes a room page ([data-room]) live over the WebSocket
   at data-socket. Without it the page still works: the form posts, links
   page back and reload. The script takes over the form and the "Earlier
   messages" link only while connected. Data and words come from data-*
   attributes (the CSP allows no inline script). Messages are kept in seq
   order, once each; new ones (not history) are announced politely.
   Reconnects back off from 1 s to 30 s and resume after the last seq seen;
   close code 4403 (removed, no access, signed out) means stay closed. */
(() => {
  "use strict";
  const root = document.querySelector("[data-room]");
  if (!root || !window.WebSocket) return;
  const q = (sel) => root.querySelector(sel);
  const d = root.dataset;
  const log = q("[data-chat-log]"), form = q("[data-chat-form]");
  const box = form && form.querySelector("textarea"), button = form && form.querySelector("[type=submit]");
  const statusEl = q("[data-chat-status]"), errorEl = q("[data-chat-error]"), typingEl = q("[data-chat-typing]");
  const hereEl = q("[data-chat-here]"), announceEl = q("[data-chat-announce]"), earlierLink = q("[data-chat-earlier]");
  const stateEl = q("[data-chat-state]"), mutedEl = q("[data-chat-muted]"), removeTpl = q("template[data-chat-remove]");
  if (!log) return;

  let last = Number(d.after) || 0, me = Number(d.me) || 0, state = d.state;
  const mayPost = d.mayPost === "true";
  let mutedUntil = d.mutedUntil ? new Date(d.mutedUntil) : null;
  let ws = null, live = false, stopped = false, attempt = 0, retryTimer = 0, muteTimer = 0;
  let pending = null, typedAt = 0, asked = false, closingText = "", failures = 0;
  const typers = new Map();

  let timeFmt;
  try { timeFmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" }); }
  catch { timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }); }
  const clock = (when) => { const t = new Date(when); return isNaN(t) ? "" : timeFmt.format(t); };
  const say = (el, text) => { if (el) { el.textContent = text || ""; el.hidden = !text; } };
  const status = (key) => { if (statusEl) say(statusEl, closingText && key === "closed" ? closingText : statusEl.dataset[key]); };
  const nonce = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const plain = (html) => { const t = document.createElement("template"); t.innerHTML = html || ""; return t.content.textContent.trim(); };

  // The page shows times in the session's zone; the reader's own clock reads better.
  const localize = (scope) => { for (const t of scope.querySelectorAll("time[data-clock]")) { const c = clock(t.dateTime); if (c) t.textContent = c; } };
  localize(log);

  // With the script the log scrolls in its own box, kept at the newest message.
  log.classList.add("chat-live");
  log.tabIndex = 0;
  const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  if (!new URLSearchParams(location.search).has("before")) log.scrollTop = log.scrollHeight;

  const canSend = () => mayPost && !stopped && state === "open" && !(mutedUntil && mutedUntil > new Date());
  function refreshForm() {
    if (!form) return;
    const ok = canSend();
    box.disabled = !ok;
    button.disabled = !ok || (live && !!pending);
    if (mutedEl) {
      const muted = mutedUntil && mutedUntil > new Date();
      say(mutedEl, muted ? mutedEl.dataset.text.replace("{time}", clock(mutedUntil)) : "");
      clearTimeout(muteTimer);
      if (muted) muteTimer = setTimeout(refreshForm, Math.min(mutedUntil - new Date() + 500, 2 ** 31 - 1));
    }
  }
  function setState(s) {
    state = s;
    if (stateEl) say(stateEl, stateEl.dataset[s]);
    refreshForm();
  }

  function announce(text) {
    if (!announceEl || !text) return;
    announceEl.textContent = "";
    setTimeout(() => { announceEl.textContent = text.length > 280 ? text.slice(0, 280) + "…" : text; }, 60);
  }

  function markRemoved(li) {
    for (const el of li.querySelectorAll(".msg-body,.msg-tools")) el.remove();
    li.classList.add("msg-removed");
    const p = document.createElement("p");
    p.className = "msg-body";
    p.textContent = d.removedText;
    li.append(p);
  }

  function messageEl(f) {
    const li = document.createElement("li");
    li.id = "m-" + f.seq;
    li.dataset.seq = f.seq;
    li.className = "msg";
    if (f.type === "notice") {
      li.classList.add("msg-notice");
      const p = document.createElement("p");
      p.textContent = f.text || "";
      li.append(p);
      return li;
    }
    if (f.n === me) li.classList.add("msg-mine");
    const meta = document.createElement("p"), who = document.createElement("span"), t = document.createElement("time");
    meta.className = "msg-meta";
    who.className = "msg-author";
    who.textContent = f.author || "";
    t.dateTime = f.at;
    t.dataset.clock = "";
    t.textContent = clock(f.at);
    meta.append(who, " ", t);
    li.append(meta);
    if (f.removed) { markRemoved(li); return li; }
    const body = document.createElement("div");
    body.className = "msg-body prose";
    body.innerHTML = f.html || ""; // sanitized by the server's Markdown renderer
    li.append(body);
    if (removeTpl) {
      const tools = removeTpl.content.cloneNode(true);
      for (const el of tools.querySelectorAll("[id],[for],[action]")) {
        for (const a of ["id", "for", "action"]) if (el.hasAttribute(a)) el.setAttribute(a, el.getAttribute(a).replace("SEQ", f.seq));
      }
      li.append(tools);
    }
    return li;
  }

  // place puts a message in seq order; false when it is already shown.
  function place(li, seq) {
    if (document.getElementById("m-" + seq)) return false;
    for (const e of log.querySelectorAll(".chat-empty")) e.remove();
    let next = null;
    for (let el = log.lastElementChild; el && Number(el.dataset.seq) > seq; el = el.previousElementSibling) next = el;
    log.insertBefore(li, next);
    return true;
  }

  function onMessage(f, history) {
    if (f.removes) { const target = document.getElementById("m-" + f.removes); if (target) markRemoved(target); }
    const follow = atEnd();
    const added = place(messageEl(f), f.seq);
    if (f.seq > last) last = f.seq;
    if (!added || history) return;
    if (pending && f.nonce && f.nonce === pending.nonce) sent();
    if (follow || f.n === me) log.scrollTop = log.scrollHeight;
    if (f.type === "notice") announce(f.text);
    else if (f.n !== me) announce(f.author + ": " + (f.removed ? d.removedText : plain(f.html)));
  }

  function sent() {
    pending = null;
    box.value = "";
    if (form.elements.nonce) form.elements.nonce.value = nonce();
    say(errorEl, "");
    refreshForm();
  }

  function onHistory(f) {
    asked = false;
    const height = log.scrollHeight, top = log.scrollTop;
    for (const m of f.messages || []) onMessage(m, true);
    log.scrollTop = top + (log.scrollHeight - height); // keep what the reader was looking at in place
    if (earlierLink) {
      earlierLink.parentElement.hidden = !f.earlier;
      if (f.earlier) earlierLink.href = "?before=" + f.earlier;
    }
  }

  function showTyping() {
    if (!typingEl) return;
    const names = [...typers.values()].map((t) => t.name), t = typingEl.dataset;
    say(typingEl, names.length === 0 ? "" : names.length === 1 ? t.one.replace("{name}", names[0])
      : names.length === 2 ? t.two.replace("{a}", names[0]).replace("{b}", names[1]) : t.many);
  }
  function onTyping(f) {
    if (f.n === me) return;
    const old = typers.get(f.n);
    if (old) clearTimeout(old.timer);
    typers.set(f.n, { name: f.name, timer: setTimeout(() => { typers.delete(f.n); showTyping(); }, 4000) });
    showTyping();
  }

  function onPresence(f) {
    if (!hereEl) return;
    const h = hereEl.dataset;
    const names = (f.here || []).map((p) => p.name + (p.facilitator ? " (" + h.facilitator + ")" : "") + (p.n === me ? " (" + h.you + ")" : ""));
    say(hereEl, names.length ? h.label + " " + names.join(", ") : "");
  }

  function handle(f) {
    switch (f.type) {
      case "ready":
        live = true;
        attempt = failures = 0;
        me = f.me ? f.me.n : me;
        if (f.reset) { // away too long to catch up one by one: the newest page follows
          for (const el of log.querySelectorAll("[data-seq]")) el.remove();
          last = 0;
          if (earlierLink) earlierLink.parentElement.hidden = !f.earlier;
          if (earlierLink && f.earlier) earlierLink.href = "?before=" + f.earlier;
        }
        mutedUntil = f.muted_until ? new Date(f.muted_until) : null;
        setState(f.state);
        status("connected");
        if (pending) ws.send(JSON.stringify({ type: "send", body: pending.body, nonce: pending.nonce })); // same nonce: stored once
        break;
      case "message":
      case "notice":
        onMessage(f, false);
        break;
      case "ack":
        if (pending && f.nonce === pending.nonce) sent();
        // Crisis language in what was sent: show the sender crisis lines,
        // rendered (hidden) on the page, privately.
        if (f.crisis) { const n = q("[data-crisis-notice]"); if (n) n.hidden = false; }
        break;
      case "error":
        if (pending && (!f.nonce || f.nonce === pending.nonce)) { pending = null; refreshForm(); }
        say(errorEl, f.message);
        asked = false;
        break;
      case "history":
        onHistory(f);
        break;
      case "presence":
        onPresence(f);
        break;
      case "typing":
        onTyping(f);
        break;
      case "state":
        setState(f.state);
        break;
      case "member":
        if (f.n === me) { mutedUntil = f.muted_until ? new Date(f.muted_until) : null; refreshForm(); }
        break;
      case "closing":
        closingText = f.message || "";
        if (f.reason === "removed" || f.reason === "access" || f.reason === "signed_out") stopped = true;
        say(statusEl, closingText);
        break;
    }
  }

  function connect() {
    if (ws || stopped) return;
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + d.socket +
      "?room=" + encodeURIComponent(d.room) + "&after=" + last;
    let sock;
    try { sock = new WebSocket(url); } catch { retry(); return; }
    ws = sock;
    sock.onmessage = (e) => { let f; try { f = JSON.parse(e.data); } catch { return; } handle(f); };
    sock.onclose = (e) => {
      if (ws !== sock) return;
      ws = null;
      if (!live) failures++;
      live = false;
      refreshForm();
      // 4403: removed, no access or signed out. Refused many times in a row
      // without ever connecting: most likely the same, said before the upgrade.
      if (stopped || e.code === 4403 || failures >= 10) {
        stopped = true;
        status("closed");
        if (e.code === 4403) { // no longer in the room: nobody is "here" for them, and nothing can be sent
          if (hereEl) say(hereEl, "");
          if (typingEl) say(typingEl, "");
          refreshForm();
        }
        return;
      }
      retry();
    };
  }
  function retry() {
    status("retrying");
    const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.2);
    attempt = Math.min(attempt + 1, 5);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }
  window.addEventListener("online", () => { if (!ws && !stopped) { attempt = 0; clearTimeout(retryTimer); connect(); } });

  if (form) {
    form.addEventListener("submit", (e) => {
      if (!live || !ws || ws.readyState !== WebSocket.OPEN) return; // not connected: the form posts as usual
      e.preventDefault();
      if (pending || !canSend()) return;
      pending = { nonce: nonce(), body: box.value };
      // A plain post of the same text after a dropped connection uses the same nonce.
      if (form.elements.nonce) form.elements.nonce.value = pending.nonce;
      say(errorEl, "");
      ws.send(JSON.stringify({ type: "send", body: pending.body, nonce: pending.nonce }));
      refreshForm();
    });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    box.addEventListener("input", () => {
      if (!live || !box.value.trim() || Date.now() - typedAt < 3000) return;
      typedAt = Date.now();
      ws.send('{"type":"typing"}');
    });
  }
  if (earlierLink) {
    earlierLink.addEventListener("click", (e) => {
      const first = log.querySelector("[data-seq]:not(.chat-empty)");
      if (!live || !first) return; // not connected: the link loads the older page
      e.preventDefault();
      if (asked) return;
      asked = true;
      ws.send(JSON.stringify({ type: "history", before: Number(first.dataset.seq) }));
    });
  }

  status("connecting");
  refreshForm();
  connect();
})();
