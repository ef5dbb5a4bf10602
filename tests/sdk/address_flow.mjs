// The address book through the storefront SDK; customer_id is resolved by the SDK from the token.
// Usage: node address_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
const home = {
  first_name: "Meera", last_name: "Nair", country_code: "+91", phone: "9123456780",
  email: "meera@example.com", address_line1: "12 MG Road", address_line2: null, landmark: null,
  pincode: "560001", city: "Bengaluru", state: "Karnataka", country: "India",
  tax_identification_number: null, business_name: null, nickname: "Home",
};

await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
let data = await step("listAddresses (empty)", () => sdk.customer.listAddresses());
out.empty = { count: data.addresses.length, total: data.pagination.total_records };

const first = (await step("createAddress home", () => sdk.customer.createAddress(home))).address;
const second = (
  await step("createAddress office", () =>
    sdk.customer.createAddress({ ...home, nickname: "Office", city: "Mysuru", pincode: "570001",
                                 is_default_shipping: true }),
  )
).address;
out.created = {
  firstDefaults: [first.is_default_billing, first.is_default_shipping],
  secondDefaults: [second.is_default_billing, second.is_default_shipping],
};

data = await step("getAddress", () => sdk.customer.getAddress({ address_id: first.id }));
out.got = { id: data.address.id, nickname: data.address.nickname };

data = await step("updateAddress", () =>
  sdk.customer.updateAddress({ address_id: first.id }, { ...home, landmark: "Near the park" }),
);
out.updated = { landmark: data.address.landmark };

data = await step("listAddresses page 2", () => sdk.customer.listAddresses({ page: 2, limit: 1 }));
out.page2 = { count: data.addresses.length, pagination: data.pagination };

await step("deleteAddress", () => sdk.customer.deleteAddress({ address_id: first.id }));
data = await step("listAddresses after delete", () => sdk.customer.listAddresses());
out.afterDelete = data.addresses.map((a) => [a.id, a.is_default_billing, a.is_default_shipping]);
out.ids = { first: first.id, second: second.id };
done();
