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

// A default flag can be unset: it moves to the most recently edited other address.
data = await step("updateAddress unset default shipping", () =>
  sdk.customer.updateAddress({ address_id: second.id }, { ...second, is_default_shipping: false }),
);
data = await step("listAddresses after unset", () => sdk.customer.listAddresses());
out.unsetDefault = Object.fromEntries(
  data.addresses.map((a) => [a.id === first.id ? "first" : "second", [a.is_default_billing, a.is_default_shipping]]),
);

data = await step("listAddresses page 2", () => sdk.customer.listAddresses({ page: 2, limit: 1 }));
out.page2 = { count: data.addresses.length, pagination: data.pagination };

await step("deleteAddress", () => sdk.customer.deleteAddress({ address_id: first.id }));
data = await step("listAddresses after delete", () => sdk.customer.listAddresses());
out.afterDelete = data.addresses.map((a) => [a.id, a.is_default_billing, a.is_default_shipping]);
out.ids = { first: first.id, second: second.id };

// Bank accounts in the SDK's shapes: CreateOutboundBankAccount, a partial update, verify-bank-account.
const account = (
  await step("createBankAccount", () =>
    sdk.customer.createBankAccount({
      account_type: "outbound", account_name: "Meera Nair", account_number: "123456789012",
      ifsc_code: "HDFC0001234", bank_name: "HDFC Bank", is_default: true,
    }),
  )
).bank_account;
data = await step("updateBankAccount (one field)", () =>
  sdk.customer.updateBankAccount({ account_id: account.id }, { account_type: "outbound", bank_name: "HDFC" }),
);
out.bankAccount = { type: account.account_type, number: account.account_number, bankName: data.bank_account.bank_name };
data = await step("verifyBankAccount", () =>
  sdk.customer.verifyBankAccount({ account_id: account.id }, { is_verified: true }),
);
out.verifyRequested = { id: data.bank_account.id, verified: data.bank_account.is_verified };

// The SDK's User allows null names: a storefront sends back what it read.
const userId = await sdk.getUserId();
const me = await step("getUserDetails", () => sdk.auth.getUserDetails({ id: userId }));
data = await step("updateUserDetails with null names", () =>
  sdk.auth.updateUserDetails({ id: userId }, { ...me.user, first_name: null, last_name: null }),
);
out.nullNames = { firstName: data.user.first_name, lastName: data.user.last_name };
done();
