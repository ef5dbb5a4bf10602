// Profile endpoints through the storefront SDK in managed mode; prints one JSON object.
// Usage: node profile_flow.mjs <baseUrl> <email> <password> <newEmail> <imagePath> <mailDir>
// <mailDir>: where the server's file email backend writes, to read the code sent to newEmail.
import { readdir, readFile } from "node:fs/promises";
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, newEmail, imagePath, mailDir] = process.argv.slice(2);

async function codeSentTo(address) {
  for (const name of (await readdir(mailDir)).sort().reverse()) {
    const text = await readFile(`${mailDir}/${name}`, "utf8");
    const code = text.match(/^(\d{6}) is your code/m);
    if (code && text.includes(`To: ${address}`)) return code[1];
  }
  throw new Error(`no code was mailed to ${address}`);
}
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

// A new email given to PUT waits for the code sent to it; verify-otp applies it.
data = await step("updateUserDetails email", () => sdk.auth.updateUserDetails({ id }, { email: newEmail }));
const answer = { otpAction: data.otp_action, hasToken: Boolean(data.otp_token), emailStill: data.user.email };
const otp = await codeSentTo(newEmail);
data = await step("verifyOtp", () =>
  sdk.auth.verifyOtp({ otp, otp_token: data.otp_token, otp_action: data.otp_action }),
);
out.emailChange = {
  answer,
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
