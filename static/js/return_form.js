// The return form's refund, updated live as quantities change (without JS the "Check refund"
// button asks the server). The amounts per unit come from the server (lifecycle.return_refund).
(function () {
  var box = document.getElementById("refund-preview");
  var form = document.getElementById("return-form");
  if (!box || !form) return;
  var units = {};
  (box.dataset.unitRefunds || "").split(";").forEach(function (pair) {
    var parts = pair.split("=");
    if (parts.length === 2) units[parts[0]] = parseFloat(parts[1]);
  });
  var amount = document.getElementById("refund-amount");
  var basis = document.getElementById("refund-basis");
  var rupees = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });
  function update() {
    var total = 0;
    Object.keys(units).forEach(function (pk) {
      var field = form.elements["qty_" + pk];
      if (field) total += units[pk] * (parseInt(field.value, 10) || 0);
    });
    amount.textContent = rupees.format(total);
    basis.textContent = basis.dataset.chosen; // the page's words, in the shopper's language
  }
  form.addEventListener("change", function (event) {
    if (event.target.name && event.target.name.indexOf("qty_") === 0) update();
  });
})();
