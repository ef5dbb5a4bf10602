// Sign in and sign up with a one-time code through the public SDK, unmodified, in managed mode:
// loginWithEmail / loginWithPhone / loginWithWhatsApp, registerWithEmail / registerWithPhone /
// registerWithWhatsapp, each completed by verifyOtp. The codes come from `x-debug-mode` (the
// test server runs in DEBUG). Prints one JSON object of observations.
// Usage: node code_sign_in_flow.mjs <baseUrl> <knownEmail> <knownPhone> <newEmail> <newPhone> <newWhatsapp>
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, knownEmail, knownPhone, newEmail, newPhone, newWhatsapp] = process.argv.slice(2);
const sdk = newSdk(baseUrl, { apiKey: "sdk-test-key" });
const debug = { "x-debug-mode": true };

async function signedIn() {
  return { userId: await sdk.getUserId(), isLoggedIn: await sdk.isLoggedIn() };
}

async function verify(name, sent) {
  const { otp, otp_token, otp_action } = sent;
  const data = await step(name, () => sdk.auth.verifyOtp({ otp, otp_token, otp_action }));
  return {
    otpAction: otp_action,
    answerUserId: data.user.id,
    email: data.user.email,
    phone: data.user.phone,
    emailVerified: data.user.is_email_verified,
    phoneVerified: data.user.is_phone_verified,
    ...(await signedIn()),
  };
}

async function signOut() {
  await step("logout", () => sdk.auth.logout());
}

await sdk.ensureAccessToken();

// 1. Sign in with a code by email.
let sent = await step("loginWithEmail", () => sdk.auth.loginWithEmail({ email: knownEmail }, debug));
out.loginEmail = await verify("verifyOtp(email)", sent);
await signOut();

// 2. By SMS, after one wrong code (refused in the contract's error shape).
sent = await step("loginWithPhone", () =>
  sdk.auth.loginWithPhone({ phone: knownPhone, country_code: "+91" }, debug),
);
const wrong = await sdk.auth.verifyOtp({
  otp: sent.otp === "000000" ? "111111" : "000000",
  otp_token: sent.otp_token,
  otp_action: sent.otp_action,
});
out.wrongCode = { status: wrong.response.status, code: wrong.error?.code, ...(await signedIn()) };
out.loginPhone = await verify("verifyOtp(phone)", sent);
await signOut();

// 3. By WhatsApp.
sent = await step("loginWithWhatsApp", () =>
  sdk.auth.loginWithWhatsApp({ phone: knownPhone, country_code: "+91" }, debug),
);
out.loginWhatsapp = await verify("verifyOtp(whatsapp)", sent);
await signOut();

// 4. An address with no account: the same answer, and its code opens nothing.
sent = await step("loginWithEmail(unknown)", () =>
  sdk.auth.loginWithEmail({ email: `nobody-${newEmail}` }, debug),
);
const unknown = await sdk.auth.verifyOtp({ otp: sent.otp, otp_token: sent.otp_token, otp_action: sent.otp_action });
out.unknown = {
  otpAction: sent.otp_action,
  status: unknown.response.status,
  code: unknown.error?.code,
  ...(await signedIn()),
};

// 5. Sign up with a code: email, phone, WhatsApp; each account made by verifyOtp.
sent = await step("registerWithEmail", () =>
  sdk.auth.registerWithEmail({ email: newEmail, first_name: "Kavya", last_name: null, phone: null }, debug),
);
out.registerEmail = await verify("verifyOtp(registerWithEmail)", sent);
await signOut();
sent = await step("registerWithPhone", () =>
  sdk.auth.registerWithPhone({ phone: newPhone, country_code: "+91", first_name: "Arjun" }, debug),
);
out.registerPhone = await verify("verifyOtp(registerWithPhone)", sent);
await signOut();
sent = await step("registerWithWhatsapp", () =>
  sdk.auth.registerWithWhatsapp({ phone: newWhatsapp, country_code: "+91", first_name: "Zoya" }, debug),
);
out.registerWhatsapp = await verify("verifyOtp(registerWithWhatsapp)", sent);
done();
