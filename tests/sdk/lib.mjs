// Shared by the SDK scripts: a managed-mode SDK, and steps that stop at the first error.
import { MemoryTokenStorage, SessionStorefrontSDK } from "@commercengine/storefront-sdk";

export const out = {};

export function newSdk(baseUrl, options = {}) {
  return new SessionStorefrontSDK({ baseUrl, tokenStorage: new MemoryTokenStorage(), ...options });
}

export async function step(name, call) {
  const result = await call();
  if (result.error) {
    out.failed = { step: name, status: result.response?.status, error: result.error };
    console.log(JSON.stringify(out));
    process.exit(1);
  }
  return result.data;
}

export function done() {
  console.log(JSON.stringify(out));
}
