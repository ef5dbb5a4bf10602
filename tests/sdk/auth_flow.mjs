// Managed-mode storefront SDK session against our API: prints one JSON object of observations.
// Usage: node auth_flow.mjs <baseUrl> <email> <password> <newEmail>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, newEmail] = process.argv.slice(2);
const sdk = newSdk(baseUrl, { apiKey: "sdk-test-key" });

// 1. Anonymous bootstrap: the SDK creates a guest session by itself on first need.
await sdk.ensureAccessToken();
out.bootstrap = {
  isAnonymous: await sdk.isAnonymous(),
  isLoggedIn: await sdk.isLoggedIn(),
  userId: await sdk.getUserId(),
};

// 2. Sign in: the SDK takes the tokens from the answer itself (no setTokens).
let data = await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
out.login = { userIdInAnswer: data.user.id };
out.afterLogin = {
  userId: await sdk.getUserId(),
  customerId: await sdk.getCustomerId(),
  isLoggedIn: await sdk.isLoggedIn(),
};

// 3. An account call with the id the SDK resolved from the token.
data = await step("getUserDetails", async () => sdk.auth.getUserDetails({ id: await sdk.getUserId() }));
out.userDetails = { id: data.user.id, email: data.user.email };

// 4. Forced refresh through the SDK's own path.
const before = await sdk.getAccessToken();
const refreshToken = await sdk.session.peekRefreshToken();
await step("refreshToken", () => sdk.auth.refreshToken({ refresh_token: refreshToken }));
out.refresh = { changed: (await sdk.getAccessToken()) !== before, userId: await sdk.getUserId() };

// 5. Sign out: the answer is a fresh guest session, which the SDK adopts.
await step("logout", () => sdk.auth.logout());
out.afterLogout = {
  isAnonymous: await sdk.isAnonymous(),
  isLoggedIn: await sdk.isLoggedIn(),
  userId: await sdk.getUserId(),
};
const result = await sdk.auth.getUserDetails({ id: out.login.userIdInAnswer });
out.afterLogout.userDetailsStatus = result.response.status;
out.afterLogout.userDetailsCode = result.error?.code;

// 6. Register a new account with password and confirm it with the code (debug mode).
const { otp_token, otp_action, otp } = await step("registerWithPassword", () =>
  sdk.auth.registerWithPassword(
    { email: newEmail, password: "sdk-pass-9876", confirm_password: "sdk-pass-9876" },
    { "x-debug-mode": true },
  ),
);
data = await step("verifyOtp", () => sdk.auth.verifyOtp({ otp, otp_token, otp_action }));
out.registered = {
  email: data.user.email,
  verified: data.user.is_email_verified,
  sdkUserId: await sdk.getUserId(),
  answerUserId: data.user.id,
  isLoggedIn: await sdk.isLoggedIn(),
};
done();
