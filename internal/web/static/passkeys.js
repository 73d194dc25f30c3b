// Passkeys (WebAuthn) for the log-in and security pages. Loaded only on
// those pages. The server makes the options and checks the answers
// (go-webauthn); the browser's own JSON helpers carry them across.
(function () {
  "use strict";
  var supported = window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var msg = (data && data.error && data.error.message) || "Something went wrong. Please try again.";
          throw new Error(msg);
        }
        return data;
      });
    });
  }

  // go navigates to url; when only the #fragment would change, the
  // browser would merely scroll, so the page is loaded afresh instead.
  function go(url) {
    var to = new URL(url, window.location.href);
    if (to.pathname === window.location.pathname && to.search === window.location.search) {
      window.location.hash = to.hash;
      window.location.reload();
      return;
    }
    window.location.assign(to.href);
  }

  function showError(box, err) {
    if (!box) { return; }
    var msg = err && err.message ? err.message : "Something went wrong. Please try again.";
    // The browser's own refusal (cancelled, timed out) reads badly; say it kindly.
    if (err && (err.name === "NotAllowedError" || err.name === "AbortError")) {
      msg = "The passkey request was cancelled or timed out. You can try again, or use your password.";
    }
    if (err && err.name === "InvalidStateError") {
      msg = "This device already has a passkey for your account.";
    }
    box.textContent = msg;
    box.hidden = false;
  }

  function signIn(button) {
    var box = document.querySelector("[data-passkey-error]");
    var next = button.getAttribute("data-next") || "";
    button.disabled = true;
    post("/login/passkey/options").then(function (data) {
      var opts = PublicKeyCredential.parseRequestOptionsFromJSON(data.publicKey);
      return navigator.credentials.get({ publicKey: opts });
    }).then(function (cred) {
      return post("/login/passkey?next=" + encodeURIComponent(next), cred.toJSON());
    }).then(function (data) {
      go(data.redirect || "/");
    }).catch(function (err) {
      button.disabled = false;
      showError(box, err);
    });
  }

  function register(button) {
    var box = document.querySelector("[data-passkey-register] [data-passkey-error]");
    var nameField = document.getElementById("f-passkey_name");
    var name = nameField ? nameField.value.trim() : "";
    if (!name) {
      showError(box, new Error("Please name this passkey, e.g. “my phone”, so you recognise it later."));
      if (nameField) { nameField.focus(); }
      return;
    }
    button.disabled = true;
    post("/settings/security/passkeys/options").then(function (data) {
      var opts = PublicKeyCredential.parseCreationOptionsFromJSON(data.publicKey);
      return navigator.credentials.create({ publicKey: opts });
    }).then(function (cred) {
      return post("/settings/security/passkeys", { name: name, credential: cred.toJSON() });
    }).then(function (data) {
      go(data.redirect || "/settings/security");
    }).catch(function (err) {
      button.disabled = false;
      showError(box, err);
    });
  }

  if (!supported) { return; }
  document.querySelectorAll("[data-passkey-login], [data-passkey-register]").forEach(function (el) { el.hidden = false; });
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-passkey-signin], [data-passkey-add]") : null;
    if (!t) { return; }
    e.preventDefault();
    if (t.hasAttribute("data-passkey-signin")) { signIn(t); } else { register(t); }
  });
})();
