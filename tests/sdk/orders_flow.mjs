// The order client of the storefront SDK on seed_demo data.
// Usage: node orders_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

let data = await step("listOrders", () => sdk.order.listOrders({ page: 1, limit: 25 }));
out.all = data.orders.map((o) => o.status);
out.total = data.pagination.total_records;
const number = (status) => data.orders.find((o) => o.status === status).order_number;
const orders = {
  confirmed: number("confirmed"), pending: number("pending"), shipped: number("shipped"),
  delivered: number("delivered"), cancelled: number("cancelled"),
};

data = await step("listOrders filtered", () => sdk.order.listOrders({ status: ["shipped", "delivered"] }));
out.filtered = data.orders.map((o) => o.status).sort();

data = await step("getOrderDetails", () => sdk.order.getOrderDetails({ order_number: orders.confirmed }));
out.detail = { status: data.order.status, cancellable: data.order.is_cancellation_allowed,
               items: data.order.order_items.length };
// The OrderItem fields the SDK requires, the images as absolute URLs, and the refund mode a
// cancellation would refund by.
const sdkRequired = ["subscription_plan", "subscription_interval", "subscription_frequency",
  "handling_charge_excluding_tax", "handling_charge_tax_rate", "handling_charge_including_tax"];
out.itemShape = {
  required: data.order.order_items.map((i) => sdkRequired.filter((name) => !(name in i))),
  images: data.order.order_items.map((i) => i.product_image_url),
  refundMode: data.order.cancellation_refund_details?.payment_mode,
};
// Fields the SDK's Order type requires or reads (applied_* are required arrays).
out.detailOffers = {
  appliedPromotions: data.order.applied_promotions, appliedCoupons: data.order.applied_coupons,
  promotion: data.order.is_promotion_applied, coupon: data.order.is_coupon_applied,
  fulfillment: data.order.fulfillment_preference?.fulfillment_type,
};

data = await step("listOrderShipments", () => sdk.order.listOrderShipments({ order_number: orders.shipped }));
out.shipments = data.shipments.map((s) => [s.status, s.courier_company_name, s.awb_no]);

data = await step("listOrderPayments", () => sdk.order.listOrderPayments({ order_number: orders.cancelled }));
out.payments = data.payments.map((p) => [p.transaction_type, p.payment_status]);

data = await step("listOrderRefunds", () => sdk.order.listOrderRefunds({ order_number: orders.cancelled }));
out.refunds = data.refunds.map((r) => [r.status, r.payment_mode]);

data = await step("getPaymentStatus", () => sdk.order.getPaymentStatus(orders.pending));
out.paymentStatus = { status: data.status, retry: data.is_retry_available };

data = await step("retryOrderPayment", () => sdk.order.retryOrderPayment({ order_number: orders.pending }, {}));
out.retry = { gateway: data.payment_info.gateway, hasUrl: data.payment_info.payment_url.includes("/payments/test-gateway/") };
out.retryLinks = { web: data.payment_info.payment_links?.web === data.payment_info.payment_url,
                   expiry: data.payment_info.payment_links?.expiry === data.payment_info.expires_at };

// Finish the retry from the field the SDK types for a redirect link (JusPayHyperCheckoutResponse's
// payment_links.web), as a shopper's browser would: open the page, press "Pay now".
const web = data.payment_info.payment_links?.web;
const page = await fetch(web);
const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
const html = await page.text();
const csrf = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/)?.[1];
const paid = await fetch(web, {
  method: "POST", redirect: "manual",
  headers: { "content-type": "application/x-www-form-urlencoded", cookie, referer: web, origin: new URL(web).origin },
  body: new URLSearchParams({ csrfmiddlewaretoken: csrf ?? "", outcome: "success" }),
});
data = await step("getPaymentStatus after the page", () => sdk.order.getPaymentStatus(orders.pending));
out.retryFinished = { pageStatus: page.status, payStatus: paid.status, status: data.status,
                      retry: data.is_retry_available };

data = await step("cancelOrder", () =>
  sdk.order.cancelOrder({ order_number: orders.confirmed },
                        { cancellation_reason: "Changed my mind", refund_mode: "original-payment-mode" }),
);
out.cancelled = { status: data.order.status, allowed: data.order.is_cancellation_allowed };

data = await step("getOrderDetails delivered", () => sdk.order.getOrderDetails({ order_number: orders.delivered }));
const item = data.order.order_items[0];
const shipment = data.order.shipments[0].reference_number;
data = await step("createOrderReturn", () =>
  sdk.order.createOrderReturn({ order_number: orders.delivered }, {
    requested_settlement: "refund",
    items: [{ shipment_number: shipment, product_id: item.product_id, variant_id: null, quantity: 1,
              return_reason: "Arrived damaged" }],
    // Not in the SDK's body type, but sent as given: where to pick the items up.
    shipping_address: { first_name: "Asha", last_name: null, phone: "9876543210", address_line1: "12 MG Road",
                        address_line2: null, pincode: "560001", city: "Bengaluru", state: "Karnataka" },
  }),
);
const returnNumber = data.order_return.request_number;
const returnId = data.order_return.id;
out.returnCreated = { status: data.order_return.status, items: data.order_return.items.length };
out.returnEcho = { sku: data.order_return.items[0].sku === item.sku, hasId: typeof returnId === "string",
                   pickup: data.order_return.shipping_address };

data = await step("listOrderReturns", () => sdk.order.listOrderReturns({ order_number: orders.delivered }));
out.returns = data.returns.map((r) => r.request_number === returnNumber);

data = await step("getOrderReturnDetails", () =>
  sdk.order.getOrderReturnDetails({ order_number: orders.delivered, return_number: returnNumber }),
);
out.returnDetail = { status: data.order_return.status, reason: data.order_return.items[0].return_reason };

data = await step("getOrderReturnDetails by id", () =>
  sdk.order.getOrderReturnDetails({ order_number: orders.delivered, return_number: returnId }),
);
out.returnById = { sameReturn: data.order_return.request_number === returnNumber, id: data.order_return.id === returnId };
done();
