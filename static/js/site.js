/* My Account — the little the pages need from JavaScript; every page works without it. */
(function () {
  "use strict";

  // A refused submit reloads the page: bring the shopper to what went wrong (the error summary,
  // else the first field marked invalid) instead of leaving it below the fold, and open the
  // panel it sits in.
  function showFirstError() {
    var target = document.querySelector(
      ".form-errors, .field.invalid :is(input, select, textarea):not([disabled])"
    );
    if (!target) return;
    var panel = target.closest("details");
    if (panel) panel.open = true;
    if (target.classList.contains("form-errors") && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // The address form: India has a list of states and union territories, other countries free
  // text. Both inputs are in the page; only the one for the chosen country is enabled (and sent).
  function stateFollowsCountry() {
    var country = document.querySelector("[data-country-input]");
    var list = document.querySelector("[data-state-list]");
    var text = document.querySelector("[data-state-text]");
    if (!country || !list || !text) return;
    function sync() {
      var india = ["india", "in", "bharat"].indexOf(country.value.trim().toLowerCase()) !== -1;
      list.disabled = !india; list.hidden = !india;
      text.disabled = india; text.hidden = india;
      var label = document.querySelector("label[for='" + (india ? list.id : text.id) + "']");
      var other = document.querySelector("label[for='" + (india ? text.id : list.id) + "']");
      if (label) label.hidden = false;
      if (other) other.hidden = true;
    }
    country.addEventListener("input", sync);
    country.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    stateFollowsCountry();
    showFirstError();
  });
  // A form posted to "...#its-section" reloads at that section (without JavaScript too); the
  // browser's jump to the fragment moves focus to the page, so bring it back to the error after.
  window.addEventListener("load", function () { setTimeout(showFirstError, 0); });
})();
