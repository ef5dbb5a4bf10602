// Opens Razorpay Checkout with the options the page carries (a JSON script tag, since the page's
// Content-Security-Policy allows no inline script) and posts Checkout's signed answer back to
// the page, where the server verifies it.
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("checkout-options").textContent);
  var answer = document.getElementById("checkout-answer");
  var failed = document.getElementById("checkout-failed");
  options.handler = function (response) {
    ["razorpay_payment_id", "razorpay_order_id", "razorpay_signature"].forEach(function (name) {
      answer.elements[name].value = response[name] || "";
    });
    answer.submit();
  };
  function open() {
    if (typeof window.Razorpay !== "function") {
      failed.textContent = "Razorpay Checkout could not be loaded. Check your connection and reload the page.";
      failed.hidden = false;
      return;
    }
    var checkout = new window.Razorpay(options);
    checkout.on("payment.failed", function (response) {
      failed.textContent = "The payment did not go through: " + ((response.error && response.error.description) || "declined") +
        ". Go back to your order to try again.";
      failed.hidden = false;
    });
    checkout.open();
  }
  document.getElementById("checkout-open").addEventListener("click", open);
})();
