/* Account forms. Sign-up, sign-in and new-password forms: a "Show" button beside each password marked
   `data-reveal`, so a shopper can check what they typed instead of typing it twice.
   Progressive enhancement: without JavaScript there is no button and the form works as is. */
(function () {
  "use strict";

  function addToggle(input) {
    if (input.dataset.revealReady) return;
    input.dataset.revealReady = "1";
    var wrap = document.createElement("div");
    wrap.className = "reveal";
    wrap.style.cssText = "display:flex;gap:.5rem;align-items:stretch";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    input.style.flex = "1 1 auto";
    input.style.minWidth = "0";

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn secondary";
    // A toggle: its name stays "Show password" and aria-pressed says whether it is shown.
    button.innerHTML = 'Show<span class="visually-hidden"> password</span>';
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
      input.focus();
    });
    wrap.appendChild(button);
    // Never submit the password as a visible text field's autofill entry: hide it again on send.
    if (input.form) {
      input.form.addEventListener("submit", function () { input.type = "password"; });
    }
  }

  // "Download my data" answers with a file and the page stays as it was: an error shown from an
  // earlier try would still say the password was wrong. Clear it when the form is sent again.
  function clearErrorsOnSend(form) {
    form.addEventListener("submit", function () {
      var stale = form.querySelectorAll(".form-errors, .errorlist");
      for (var i = 0; i < stale.length; i++) stale[i].remove();
      var marked = form.querySelectorAll(".field.invalid");
      for (var j = 0; j < marked.length; j++) marked[j].classList.remove("invalid");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[type=password][data-reveal]");
    for (var i = 0; i < inputs.length; i++) addToggle(inputs[i]);
    var downloads = document.querySelectorAll("form[data-download]");
    for (var k = 0; k < downloads.length; k++) clearErrorsOnSend(downloads[k]);
  });
})();
