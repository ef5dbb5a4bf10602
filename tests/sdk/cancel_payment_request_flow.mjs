// Cancel a payment request, then pay another way, with the storefront SDK unmodified and the shop
// on Razorpay (its API being the local fake): the open attempt is closed at once, a second cancel
// finds nothing open, and the retry that follows gets a new Razorpay order.
// Usage: node cancel_payment_request_flow.mjs <baseUrl> <email> <password> <orderNumber>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, orderNumber] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

let data = await step("retryOrderPayment", () => sdk.order.retryOrderPayment({ order_number: orderNumber }, {}));
const first = data.payment_info;
data = await step("getPaymentStatus while open", () => sdk.order.getPaymentStatus(orderNumber));
out.whileOpen = { status: data.status, retry: data.is_retry_available };

const cancelled = await sdk.order.cancelPaymentRequest({ order_number: orderNumber });
out.cancel = { status: cancelled.response?.status, success: cancelled.data?.success ?? null,
               hasMessage: Boolean(cancelled.message || cancelled.data?.message), error: cancelled.error ?? null };

const again = await sdk.order.cancelPaymentRequest({ order_number: orderNumber });
out.cancelAgain = { status: again.response?.status, code: again.error?.code ?? null, success: again.error?.success ?? null };

const stranger = await sdk.order.cancelPaymentRequest({ order_number: "ORD-NOT-MINE" });
out.unknownOrder = { status: stranger.response?.status, code: stranger.error?.code ?? null };

data = await step("getPaymentStatus after", () => sdk.order.getPaymentStatus(orderNumber));
out.after = { status: data.status, retry: data.is_retry_available };

data = await step("retryOrderPayment again", () => sdk.order.retryOrderPayment({ order_number: orderNumber }, {}));
const second = data.payment_info;
out.razorpayOrders = [first.razorpay_order_id, second.razorpay_order_id];
out.requestNumbers = [first.request_number, second.request_number];
done();
