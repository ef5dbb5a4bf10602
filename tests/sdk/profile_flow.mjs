// Profile endpoints through the storefront SDK in managed mode; prints one JSON object.
// Usage: node profile_flow.mjs <baseUrl> <email> <password> <newEmail> <imagePath>
import { readFile } from "node:fs/promises";
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, newEmail, imagePath] = process.argv.slice(2);
const debug = { "x-debug-mode": true };
const sdk = newSdk(baseUrl);

await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));
const id = await sdk.getUserId();

let data = await step("getUserDetails", () => sdk.auth.getUserDetails({ id }));
out.details = { id: data.user.id, firstName: data.user.first_name };

data = await step("updateUserDetails", () =>
  sdk.auth.updateUserDetails({ id }, { first_name: "Samira", last_name: "Khan" }),
);
out.updated = { firstName: data.user.first_name, lastName: data.user.last_name };

data = await step("generateOtp", () =>
  sdk.auth.generateOtp({ channel: "email", email: newEmail, otp_action: "update-email" }, debug),
);
data = await step("verifyOtp", () =>
  sdk.auth.verifyOtp({ otp: data.otp, otp_token: data.otp_token, otp_action: data.otp_action }),
);
out.emailChange = {
  email: data.user.email,
  verified: data.user.is_email_verified,
  tokenEmail: (await sdk.getUserInfo()).email,
};

const image = new Blob([await readFile(imagePath)], { type: "image/jpeg" });
data = await step("addProfileImage", () => sdk.auth.addProfileImage({ id }, { image }));
out.image = { url: data.profile_image_url };
data = await step("getProfileImage", () => sdk.auth.getProfileImage({ id }));
out.image.getUrl = data.profile_image_url;

const tokenBefore = await sdk.getAccessToken();
await step("changePassword", () =>
  sdk.auth.changePassword({
    old_password: password,
    new_password: "changed-pass-2468",
    confirm_password: "changed-pass-2468",
  }),
);
out.changePassword = { tokensReplaced: (await sdk.getAccessToken()) !== tokenBefore };
data = await step("getUserDetails after change", () => sdk.auth.getUserDetails({ id }));
out.changePassword.stillSignedIn = data.user.id === id;

await step("logout", () => sdk.auth.logout());
data = await step("forgotPassword", () => sdk.auth.forgotPassword({ email: newEmail }, debug));
await step("resetPassword", () =>
  sdk.auth.resetPassword({
    otp_token: data.otp_token,
    otp: data.otp,
    new_password: "reset-pass-1357",
    confirm_password: "reset-pass-1357",
  }),
);
out.reset = { userId: await sdk.getUserId(), isLoggedIn: await sdk.isLoggedIn() };
await step("logout", () => sdk.auth.logout());
data = await step("login with reset password", () =>
  sdk.auth.loginWithPassword({ email: newEmail, password: "reset-pass-1357" }),
);
out.reset.loginAgain = data.user.id === id;
done();
