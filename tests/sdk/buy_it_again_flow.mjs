// "Buy it again" with the storefront SDK unmodified: the products of the shopper's paid orders,
// once each, newest purchase first, page by page as the SDK asks.
// Usage: node buy_it_again_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

const pages = [];
for (const page of [1, 2]) {
  const data = await step(`listBuyItAgainItems page ${page}`, () => sdk.order.listBuyItAgainItems({ page, limit: 2 }));
  pages.push({ items: data.items, pagination: data.pagination });
}
out.pages = pages;

const sellers = await step("listBuyItAgainItems seller", () => sdk.order.listBuyItAgainItems({ seller_id: "seller_a" }));
out.sellerFilter = { items: sellers.items.length, total: sellers.pagination.total_records };

const bad = await sdk.order.listBuyItAgainItems({ limit: 0 });
out.badLimit = { status: bad.response?.status, code: bad.error?.code ?? null };
done();
