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

  // The address form: the fields follow the country (its states, its postal code's name). The
  // server knows each country's rules; choosing a country asks it for the form again, keeping what
  // was typed (the same button a browser without JavaScript shows).
  function fieldsFollowCountry() {
    var country = document.querySelector("[data-country-input]");
    var refresh = document.querySelector("[data-country-refresh]");
    if (!country || !refresh) return;
    refresh.hidden = true;
    country.addEventListener("change", function () { refresh.click(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fieldsFollowCountry();
    showFirstError();
  });
  // A form posted to "...#its-section" reloads at that section (without JavaScript too); the
  // browser's jump to the fragment moves focus to the page, so bring it back to the error after.
  window.addEventListener("load", function () { setTimeout(showFirstError, 0); });
})();
