/* Orders pages: a sort choice applies at once (the "Sort" button stays for pages without
   JavaScript, in <noscript>), a link to a panel (the history's "Return") opens it, and the
   invoice page's "Print" button. */
(function () {
  "use strict";

  function submitOnChange() {
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
      });
    });
  }

  function printButtons() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // /account/orders/<n>/#return: open the folded panel the link points at, and bring it into view.
  function openLinkedPanel() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target || target.tagName !== "DETAILS") return;
    target.open = true;
    target.scrollIntoView({ block: "start" });
    var summary = target.querySelector("summary");
    if (summary) summary.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    submitOnChange();
    openLinkedPanel();
    printButtons();
  });
  // The order page's action bar links to its panels (#cancel, #return) on the same page.
  window.addEventListener("hashchange", openLinkedPanel);
})();
