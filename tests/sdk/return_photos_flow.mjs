// Photos with a return through the SDK's uploadOrderReturnAttachments, read back with
// getOrderReturnDetails; a 4th photo is refused.
// Usage: node return_photos_flow.mjs <baseUrl> <email> <password> <orderNumber> <returnNumber> <jpegPath>
import { readFile } from "node:fs/promises";
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, orderNumber, returnNumber, imagePath] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

const bytes = await readFile(imagePath);
const photo = (name) => new File([bytes], name, { type: "image/jpeg" });
const path = { order_number: orderNumber, return_number: returnNumber };

let data = await step("uploadOrderReturnAttachments", () =>
  sdk.order.uploadOrderReturnAttachments(path, { images: [photo("a.jpg"), photo("b.jpg")] }),
);
out.uploaded = data.order_return.attachments.images.length;

data = await step("getOrderReturnDetails", () => sdk.order.getOrderReturnDetails(path));
out.readBack = data.order_return.attachments.images;

const fourth = await sdk.order.uploadOrderReturnAttachments(path, { images: [photo("c.jpg"), photo("d.jpg")] });
out.refused = { code: fourth.error?.code, status: fourth.response?.status };
done();
