// Managed-mode storefront SDK session against our API: prints one JSON object of observations.
// Usage: node auth_flow.mjs <baseUrl> <email> <password> <newEmail>
import { MemoryTokenStorage, SessionStorefrontSDK } from "@commercengine/storefront-sdk";

const [baseUrl, email, password, newEmail] = process.argv.slice(2);
const out = {};

function fail(step, result) {
  out.failed = { step, status: result.response?.status, error: result.error };
  console.log(JSON.stringify(out));
  process.exit(1);
}

const sdk = new SessionStorefrontSDK({
  baseUrl,
  apiKey: "sdk-test-key",
  tokenStorage: new MemoryTokenStorage(),
});

// 1. Anonymous bootstrap: the SDK creates a guest session by itself on first need.
await sdk.ensureAccessToken();
out.bootstrap = {
  isAnonymous: await sdk.isAnonymous(),
  isLoggedIn: await sdk.isLoggedIn(),
  userId: await sdk.getUserId(),
};

// 2. Sign in: the SDK takes the tokens from the answer itself (no setTokens).
let result = await sdk.auth.loginWithPassword({ email, password });
if (result.error) fail("loginWithPassword", result);
out.login = { userIdInAnswer: result.data.user.id };
out.afterLogin = {
  userId: await sdk.getUserId(),
  customerId: await sdk.getCustomerId(),
  isLoggedIn: await sdk.isLoggedIn(),
};

// 3. An account call with the id the SDK resolved from the token.
result = await sdk.auth.getUserDetails({ id: await sdk.getUserId() });
if (result.error) fail("getUserDetails", result);
out.userDetails = { id: result.data.user.id, email: result.data.user.email };

// 4. Forced refresh through the SDK's own path.
const before = await sdk.getAccessToken();
result = await sdk.auth.refreshToken({ refresh_token: await sdk.session.peekRefreshToken() });
if (result.error) fail("refreshToken", result);
out.refresh = { changed: (await sdk.getAccessToken()) !== before, userId: await sdk.getUserId() };

// 5. Sign out: the answer is a fresh guest session, which the SDK adopts.
result = await sdk.auth.logout();
if (result.error) fail("logout", result);
out.afterLogout = {
  isAnonymous: await sdk.isAnonymous(),
  isLoggedIn: await sdk.isLoggedIn(),
  userId: await sdk.getUserId(),
};
result = await sdk.auth.getUserDetails({ id: out.login.userIdInAnswer });
out.afterLogout.userDetailsStatus = result.response.status;
out.afterLogout.userDetailsCode = result.error?.code;

// 6. Register a new account with password and confirm it with the code (debug mode).
result = await sdk.auth.registerWithPassword(
  { email: newEmail, password: "sdk-pass-9876", confirm_password: "sdk-pass-9876" },
  { "x-debug-mode": true },
);
if (result.error) fail("registerWithPassword", result);
const { otp_token, otp_action, otp } = result.data;
result = await sdk.auth.verifyOtp({ otp, otp_token, otp_action });
if (result.error) fail("verifyOtp", result);
out.registered = {
  email: result.data.user.email,
  verified: result.data.user.is_email_verified,
  sdkUserId: await sdk.getUserId(),
  answerUserId: result.data.user.id,
  isLoggedIn: await sdk.isLoggedIn(),
};

console.log(JSON.stringify(out));
