// Reviews through the storefront SDK on seed_demo data.
// Usage: node reviews_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
let data = await step("listCustomerReviews", () => sdk.customer.listCustomerReviews());
out.reviews = data.reviews.map((r) => [r.status, r.rating]);
out.ready = data.ready_for_review.map((r) => r.product_name).sort();
const target = data.ready_for_review[0];
await step("createProductReview", async () =>
  sdk.catalog.createProductReview(
    { product_id: target.product_id },
    { user_id: await sdk.getUserId(), order_number: target.order_number, rating: 4, review_text: "Nice" },
  ),
);
data = await step("listCustomerReviews after", () => sdk.customer.listCustomerReviews());
out.after = { reviews: data.reviews.length, ready: data.ready_for_review.length };
done();
