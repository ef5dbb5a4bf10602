// Business documents (GSTIN, PAN) through the SDK's typed client. SDK 0.15 declares these
// operations (list-kyc-document, list/create/get/update/delete/verify-document) in its types but
// has no wrapper methods yet, so the script calls them on the SDK's own client (`client`, with
// its session middleware: tokens attached and refreshed) and reads answers through the SDK's
// `executeRequest`, as a wrapper would; multipart bodies as FormData, as its upload methods send.
// Usage: node documents_flow.mjs <baseUrl> <email> <password> <pngPath>
import { readFile } from "node:fs/promises";
import { done, newSdk, out, step } from "./lib.mjs";

const [baseUrl, email, password, imagePath] = process.argv.slice(2);
const sdk = newSdk(baseUrl);
await step("loginWithPassword", () => sdk.auth.loginWithPassword({ email, password }));

const customer = sdk.customer;
const call = (method, path, options) => customer.executeRequest(() => customer.client[method](path, options));
const { customer_id } = await customer.resolveCustomerPathParams({});
const form = (fields) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};
const multipart = (fields) => ({ body: form(fields), bodySerializer: (body) => body });

let data = await step("list-kyc-document", () => sdk.store.executeRequest(() => sdk.store.client.GET("/store/kyc-document")));
out.kyc = { enabled: data.is_kyc_enabled, types: data.kyc_documents.map((k) => [k.document_type, k.verification_type]) };
const typeId = Object.fromEntries(data.kyc_documents.map((k) => [k.document_type, k.id]));

const path = { params: { path: { customer_id } } };
data = await step("verify-document", () =>
  call("POST", "/customers/{customer_id}/documents/verify", {
    ...path,
    body: { document_number: "27abcpe1234f1zb", document_type_id: typeId.gst },
  }),
);
out.verified = data.document;

const bytes = await readFile(imagePath);
data = await step("create-document PAN", () =>
  call("POST", "/customers/{customer_id}/documents", {
    ...path,
    ...multipart({
      document_number: "ABCPE1234F",
      kyc_document_id: typeId.pan,
      note: "Owner's PAN",
      file: new File([bytes], "pan.png", { type: "image/png" }),
    }),
  }),
);
const pan = data.document;
out.pan = { status: pan.status, isVerified: pan.is_verified, verificationType: pan.verification_type, fileUrl: pan.file_url };

const mismatch = await call("POST", "/customers/{customer_id}/documents", {
  ...path,
  ...multipart({ document_number: "27AAPFU0939F1ZV", kyc_document_id: typeId.gst }),
});
out.mismatch = { status: mismatch.response?.status, code: mismatch.error?.code };

data = await step("create-document GSTIN", () =>
  call("POST", "/customers/{customer_id}/documents", {
    ...path,
    ...multipart({ document_number: "27ABCPE1234F1ZB", kyc_document_id: typeId.gst }),
  }),
);
const gst = data.document;

const docPath = (id) => ({ params: { path: { customer_id, document_id: id } } });
data = await step("update-document", () =>
  call("PUT", "/customers/{customer_id}/documents/{document_id}", {
    ...docPath(gst.id),
    ...multipart({
      document_number: "27ABCPE1234F1ZB",
      kyc_document_id: typeId.gst,
      note: "Head office",
      modified_reason: "Added a note",
    }),
  }),
);
out.updated = { note: data.document.note, reason: data.document.modified_reason, status: data.document.status };

data = await step("get-document", () => call("GET", "/customers/{customer_id}/documents/{document_id}", docPath(gst.id)));
out.got = data.document.document_number;

data = await step("list-documents", () => call("GET", "/customers/{customer_id}/documents", path));
out.listed = data.documents.map((d) => d.document_number);

await step("delete-document", () => call("DELETE", "/customers/{customer_id}/documents/{document_id}", docPath(pan.id)));
data = await step("list-documents after delete", () => call("GET", "/customers/{customer_id}/documents", path));
out.afterDelete = data.documents.map((d) => d.document_number);
done();
