// Checks each request's SigV4 signature against the simulator's configured
// keys, as AWS does: an access key it does not know is
// UnrecognizedClientException, a signature that does not match is
// InvalidSignatureException (both 403), so credential handling is tested on
// the wire. The signature is computed again with the same signer the SDK uses
// (over the headers the request says it signed) and compared.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";

export type SimulatorKeys = Map<string, string>;

// The key pair every local process uses unless told otherwise (lib/env.ts's
// BEDROCK_ACCESS_KEY_ID / BEDROCK_SECRET_ACCESS_KEY defaults).
export const DEFAULT_KEYS = "simulator:simulator";

export function parseKeys(text: string): SimulatorKeys {
  const keys: SimulatorKeys = new Map();
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf(":");
    if (at <= 0 || at === pair.length - 1) throw new Error(`Invalid simulator key "${pair}": expected ACCESS_KEY_ID:SECRET`);
    keys.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return keys;
}

// The signer's hash: SHA-256, or HMAC-SHA-256 when given a key.
type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: Bytes) => (typeof data === "string" ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));

export class NodeSha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: Bytes) {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export type SignatureProblem = { status: 403; errorType: string; message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export async function checkSignature(req: IncomingMessage, body: string, keys: SimulatorKeys): Promise<SignatureProblem | null> {
  const auth = AUTH.exec(req.headers.authorization ?? "");
  if (!auth) return { status: 403, errorType: "IncompleteSignatureException", message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters." };
  const [, accessKeyId, , region, service, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string, string];
  const secretAccessKey = keys.get(accessKeyId);
  if (secretAccessKey === undefined) return { status: 403, errorType: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return { status: 403, errorType: "IncompleteSignatureException", message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));

  const url = new URL(req.url ?? "/", "http://simulator");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [...[query[k]!].flat(), v] : v;
  const rawPath = (req.url ?? "/").split("?")[0]!;

  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: NodeSha256 });
  const signed = await signer.sign(
    { method: req.method ?? "GET", protocol: "http:", hostname: String(req.headers.host ?? ""), path: rawPath, query, headers, body },
    { signingDate, signingRegion: region, signingService: service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ""))?.[1] ?? "";
  const same = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (same) return null;
  return {
    status: 403,
    errorType: "InvalidSignatureException",
    message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  };
}
