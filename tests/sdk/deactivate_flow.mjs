// Deactivating one's account and coming back, through the public SDK, unmodified:
// checkEmailOrPhoneIsVerified (own addresses, and a stranger's view), deactivateUserAccount,
// sign-in refused (password, refresh token) with account_deactivated, reactivation by a code
// sign-in (loginWithEmail + verifyOtp; the code from x-debug-mode, the server runs in DEBUG).
// Usage: node deactivate_flow.mjs <baseUrl> <email> <phone> <password>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, phone, password] = process.argv.slice(2);
const debug = { "x-debug-mode": true };
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
const userId = await sdk.getUserId();
const refreshToken = await sdk.session.peekRefreshToken();

// 1. Verification status: the signed-in shopper learns about their own addresses only.
let data = await step("checkEmailOrPhoneIsVerified", () =>
  sdk.auth.checkEmailOrPhoneIsVerified({ email: [email, "stranger@example.com"], phone: [phone] }),
);
out.ownStatus = data;

// ... and a guest asking about the same addresses learns nothing.
const stranger = newSdk(baseUrl);
await stranger.ensureAccessToken();
data = await step("checkEmailOrPhoneIsVerified(guest)", () =>
  stranger.auth.checkEmailOrPhoneIsVerified({ email: [email], phone: [phone] }),
);
out.strangerStatus = data;

// 2. Deactivate.
const deactivated = await sdk.auth.deactivateUserAccount({ id: userId });
out.deactivate = { status: deactivated.response.status, error: deactivated.error ?? null };

// 3. Sign-in refused, with its own code, by password and by the refresh token kept from before.
const later = newSdk(baseUrl);
const refused = await later.auth.loginWithPassword({ email, password });
out.passwordRefused = { status: refused.response.status, code: refused.error?.code, message: refused.error?.message };
const refreshed = await later.auth.refreshToken({ refresh_token: refreshToken });
out.refreshRefused = { status: refreshed.response.status, code: refreshed.error?.code };

// 4. Come back with a code to the verified email.
const sent = await step("loginWithEmail", () => later.auth.loginWithEmail({ email }, debug));
data = await step("verifyOtp", () =>
  later.auth.verifyOtp({ otp: sent.otp, otp_token: sent.otp_token, otp_action: sent.otp_action }),
);
out.reactivated = { userId: data.user.id, isLoggedIn: await later.isLoggedIn() };
data = await step("getUserDetails", () => later.auth.getUserDetails({ id: userId }));
out.afterReactivation = { id: data.user.id };
done();
