// Retry payment through the Razorpay adapter, with the storefront SDK unmodified: what an app
// gets to open Razorpay Checkout itself, Checkout's signed answer handed to the shop, and the
// payment status after.
// Usage: node razorpay_flow.mjs <baseUrl> <email> <password> <orderNumber> <verifyUrl> <keySecret>
// The key secret stands in for Razorpay's Checkout, which signs its answer with it.
import { createHmac } from "node:crypto";

import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, orderNumber, verifyUrl, keySecret] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

let data = await step("getPaymentStatus", () => sdk.order.getPaymentStatus(orderNumber));
out.before = { status: data.status, retry: data.is_retry_available };

data = await step("retryOrderPayment", () => sdk.order.retryOrderPayment({ order_number: orderNumber }, {}));
const info = data.payment_info;
out.paymentInfo = {
  gateway: info.gateway, keyId: info.key_id, razorpayOrderId: info.razorpay_order_id, currency: info.currency,
  amount: info.amount, requestNumber: info.request_number, paymentUrl: info.payment_url,
  // The field the SDK types for a redirect link (JusPayHyperCheckoutResponse.payment_links.web).
  linksWeb: info.payment_links?.web,
};

const paymentId = "pay_SdkFlow0001";
const signature = createHmac("sha256", keySecret).update(`${info.razorpay_order_id}|${paymentId}`).digest("hex");
const verified = await fetch(verifyUrl, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ razorpay_order_id: info.razorpay_order_id, razorpay_payment_id: paymentId,
                         razorpay_signature: signature }),
});
out.verified = { status: verified.status, content: (await verified.json()).content };

data = await step("getPaymentStatus after", () => sdk.order.getPaymentStatus(orderNumber));
out.after = { status: data.status, retry: data.is_retry_available, paid: data.amount_paid };
done();
