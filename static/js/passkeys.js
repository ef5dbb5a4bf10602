// Passkeys (WebAuthn) on the website: add one (profile, and the offer after a code sign-in) and
// sign in with one (sign-in page). The server makes the options and checks the answers
// (accounts/services/passkeys.py); this file only carries them between it and the browser.
(function () {
  "use strict";
  if (window.accountPasskeys) return; // loaded once, whichever templates include it
  window.accountPasskeys = true;

  var supported = !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create);

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: toBytes(c.id) }); });
  }

  function creationOptions(o) {
    return Object.assign({}, o, {
      challenge: toBytes(o.challenge),
      user: Object.assign({}, o.user, { id: toBytes(o.user.id) }),
      excludeCredentials: descriptors(o.excludeCredentials),
    });
  }

  function requestOptions(o) {
    return Object.assign({}, o, { challenge: toBytes(o.challenge), allowCredentials: descriptors(o.allowCredentials) });
  }

  function credentialJSON(credential) {
    var r = credential.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      if (r.userHandle) response.userHandle = toText(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: response,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      authenticatorAttachment: credential.authenticatorAttachment || null,
    };
  }

  function csrfToken(element) {
    var box = element.closest("[data-passkey-supported]") || document;
    var input = box.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body, token) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.message || "Something went wrong. Please try again.");
        return data;
      });
    });
  }

  // To the page the server names: loaded again even when it is this one (a new hash alone
  // would only scroll), so the list and the message show the change.
  function go(url) {
    var target = new URL(url, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      window.location.hash = target.hash;
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }

  function showError(button, message) {
    var box = button.closest("[data-passkey-supported]");
    var target = box && box.querySelector("[data-passkey-error]");
    if (target) target.textContent = message;
  }

  function failure(button) {
    return function (error) {
      button.disabled = false;
      // The shopper closed the browser's dialog, or it timed out: nothing to explain.
      var cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
      showError(button, cancelled ? "No passkey was used. Try again when you are ready." : error.message);
    };
  }

  function add(button) {
    var token = csrfToken(button);
    var nameInput = button.dataset.name ? document.querySelector(button.dataset.name) : null;
    button.disabled = true;
    showError(button, "");
    post(button.dataset.optionsUrl, {}, token)
      .then(function (started) {
        return navigator.credentials.create({ publicKey: creationOptions(started.options) }).then(function (credential) {
          return post(button.dataset.url, {
            challenge_key: started.challenge_key,
            credential: credentialJSON(credential),
            name: nameInput ? nameInput.value : "",
          }, token);
        });
      })
      .then(function (done) { go(done.redirect); })
      .catch(failure(button));
  }

  function signIn(button) {
    var token = csrfToken(button);
    button.disabled = true;
    showError(button, "");
    post(button.dataset.optionsUrl, {}, token)
      .then(function (started) {
        return navigator.credentials.get({ publicKey: requestOptions(started.options) }).then(function (credential) {
          return post(button.dataset.url, {
            challenge_key: started.challenge_key,
            credential: credentialJSON(credential),
            next: button.dataset.next || "",
          }, token);
        });
      })
      .then(function (done) { go(done.redirect); })
      .catch(failure(button));
  }

  document.querySelectorAll(supported ? "[data-passkey-supported]" : "[data-passkey-unsupported]").forEach(function (el) {
    el.hidden = false;
  });
  if (!supported) return;
  document.querySelectorAll("[data-passkey-add]").forEach(function (button) {
    button.addEventListener("click", function () { add(button); });
  });
  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (button) {
    button.addEventListener("click", function () { signIn(button); });
  });
})();
