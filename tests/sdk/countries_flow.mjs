// Countries, their states and PIN codes through the SDK's own helpers (sdk.helpers.listCountries,
// listCountryStates, listCountryPincodes), and a US address saved through the SDK.
// Usage: node countries_flow.mjs <baseUrl> <email> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password] = process.argv.slice(2);
const sdk = newSdk(baseUrl);

let data = await step("listCountries", () => sdk.helpers.listCountries());
const india = data.countries.find((c) => c.country_iso_code === "IN");
out.countries = { count: data.countries.length, india: { name: india.country_name, code: india.country_code, currency: india.currency_code } };
data = await step("listCountryStates IN", () => sdk.helpers.listCountryStates({ country_iso_code: "IN" }));
out.inStates = { count: data.states.length, karnataka: data.states.find((s) => s.iso_code === "KA") };
data = await step("listCountryStates US", () => sdk.helpers.listCountryStates({ country_iso_code: "US" }));
out.usStates = data.states.filter((s) => s.iso_code === "CA").map((s) => s.name);
data = await step("listCountryPincodes IN", () =>
  sdk.helpers.listCountryPincodes({ country_iso_code: "IN" }, { pincode: "560001", limit: 5 }),
);
out.pincodes = data.pincodes;

await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
data = await step("createAddress US", () =>
  sdk.customer.createAddress(
    {
      first_name: "Ann",
      last_name: "Lee",
      address_line1: "1 Market St",
      city: "San Francisco",
      state: "CA",
      pincode: "94105",
      country: "United States",
      country_code: "+1",
      phone: "4155550123",
      email: "ann@example.com",
      address_line2: null, landmark: null, tax_identification_number: null, business_name: null, nickname: "SF",
    },
  ),
);
out.usAddress = { state: data.address.state, pincode: data.address.pincode, country: data.address.country, phone: data.address.phone };
done();
