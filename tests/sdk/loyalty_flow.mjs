// Loyalty through the storefront SDK. Usage: node loyalty_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
let data = await step("getLoyaltyDetails", () => sdk.customer.getLoyaltyDetails());
out.loyalty = data.loyalty;
data = await step("listLoyaltyPointsActivity", () => sdk.customer.listLoyaltyPointsActivity({ page: 1, limit: 2 }));
out.activity = data.loyalty_points_activity.map((a) => [a.action, a.activity, a.loyalty_points]);
out.pagination = data.pagination;
done();
