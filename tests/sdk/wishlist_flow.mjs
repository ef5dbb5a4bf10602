// The wishlist through the SDK's cart client (getWishlist, addToWishlist, removeFromWishlist),
// the user id taken from the session as the SDK does; the same product twice is one entry, an
// unknown product and another shopper's wishlist are refused with their codes.
// Usage: node wishlist_flow.mjs <baseUrl> <email> <password> <productA> <productB> <unknownId> <otherUserId>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, productA, productB, unknownId, otherUserId] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

let data = await step("getWishlist", () => sdk.cart.getWishlist());
out.empty = data.products.length;

await step("addToWishlist", () => sdk.cart.addToWishlist({ product_id: productA, variant_id: null }));
data = await step("addToWishlist again", () => sdk.cart.addToWishlist({ product_id: productA, variant_id: null }));
out.afterTwice = data.products.map((p) => p.product_id);
data = await step("addToWishlist B", () => sdk.cart.addToWishlist({ product_id: productB, variant_id: null }));

data = await step("getWishlist", () => sdk.cart.getWishlist());
out.listed = data.products.map((p) => ({
  id: p.product_id,
  name: p.product_name,
  price: p.pricing.selling_price,
  inStock: p.stock_available,
}));

data = await step("removeFromWishlist", () => sdk.cart.removeFromWishlist({ product_id: productA, variant_id: null }));
out.afterRemove = data.products.map((p) => p.product_id);

const unknown = await sdk.cart.addToWishlist({ product_id: unknownId, variant_id: null });
out.unknown = { code: unknown.error?.code, status: unknown.response?.status };
const theirs = await sdk.cart.getWishlist({ user_id: otherUserId });
out.theirs = { code: theirs.error?.code, status: theirs.response?.status };
done();
