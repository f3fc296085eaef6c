import "server-only";
// BEDROCK_RECORD_DIR: every Bedrock exchange the process makes is written to
// that folder, one JSON file each, in the format of data/aws-wire/ (request,
// response, and for streams the decoded frames and the exact bytes): an admin
// certifying against AWS keeps evidence of each verdict, and the project can
// grow its contract set (tests/integration/aws-wire-replay.test.ts) from real
// runs. Credentials never reach a file: the Authorization and session-token
// headers are dropped, access key ids and account ids masked.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

type HandlerRequest = Parameters<NodeHttpHandler["handle"]>[0];
type HandlerOptions = Parameters<NodeHttpHandler["handle"]>[1];

const SECRET_HEADERS = /^(authorization|x-amz-security-token|cookie)$/i;
const mask = (text: string) =>
  text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, "<access key>")
    .replace(/(arn:aws[\w-]*:[\w-]+:[\w-]*:)\d{12}(:)/g, "$1000000000000$2")
    .replace(/\b(\d{12})\b(?=[:/])/g, "000000000000");

const codec = new EventStreamCodec(toUtf8, fromUtf8);

// The frames of an event stream, decoded as data/aws-wire/ lists them.
export function decodeFrames(bytes: Uint8Array): { headers: Record<string, string>; payload: unknown }[] {
  const frames: { headers: Record<string, string>; payload: unknown }[] = [];
  for (let at = 0; at + 4 <= bytes.length;) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    if (length < 16 || at + length > bytes.length) break;
    const m = codec.decode(bytes.subarray(at, at + length));
    const text = toUtf8(m.body);
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    frames.push({ headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, String(v.value)])), payload });
    at += length;
  }
  return frames;
}

// "converse", "converse-stream", "invoke", or the control-plane path's first part.
function operationOf(pathname: string): { operation: string; model: string | null } {
  const runtime = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(pathname);
  if (runtime) return { operation: runtime[2]!, model: decodeURIComponent(runtime[1]!) };
  const [first, second] = pathname.split("/").filter(Boolean);
  return { operation: first ?? "unknown", model: second ? decodeURIComponent(second) : null };
}

export class RecordingHttpHandler extends NodeHttpHandler {
  constructor(
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly dir: string,
  ) {
    super(options);
    mkdirSync(dir, { recursive: true });
  }

  override async handle(request: HandlerRequest, options?: HandlerOptions) {
    const out = await super.handle(request, options);
    const { response } = out;
    const body = response.body as Readable | undefined;
    const chunks: Buffer[] = [];
    const tee = new PassThrough();
    const write = () => this.write(request, response.statusCode, response.headers, Buffer.concat(chunks));
    if (body && typeof body.pipe === "function") {
      body.on("data", (c: Buffer) => chunks.push(Buffer.from(c)));
      body.once("end", write);
      body.once("error", write);
      body.pipe(tee);
      response.body = tee;
    } else write();
    return out;
  }

  private write(request: HandlerRequest, status: number, headers: Record<string, string>, bytes: Buffer) {
    try {
      const { operation, model } = operationOf(request.path);
      const requestBody = typeof request.body === "string" ? request.body : request.body instanceof Uint8Array ? Buffer.from(request.body).toString("utf8") : "";
      const stream = String(headers["content-type"] ?? "").includes("eventstream");
      const json = (text: string) => {
        try {
          return JSON.parse(mask(text)) as unknown;
        } catch {
          return mask(text);
        }
      };
      const query = new URLSearchParams(Object.entries(request.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === null ? [] : [[k, v]])) as [string, string][]);
      const record = {
        source: `recorded by BEDROCK_RECORD_DIR at ${new Date().toISOString()}`,
        note: "one Bedrock exchange of a certification run; credentials and account ids removed",
        request: {
          method: request.method,
          uri: `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}${query.size ? `?${query}` : ""}`,
          operation,
          model,
          headers: Object.fromEntries(Object.entries(request.headers).filter(([k]) => !SECRET_HEADERS.test(k))),
          body: requestBody ? json(requestBody) : null,
        },
        response: stream ? { status, headers, kind: "stream", body: decodeFrames(bytes), raw_b64: bytes.toString("base64") } : { status, headers, kind: "json", body: json(bytes.toString("utf8")) },
      };
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${operation}-${(model ?? "").replace(/[^\w.-]+/g, "_").slice(0, 80)}-${randomBytes(3).toString("hex")}.json`;
      writeFileSync(path.join(this.dir, name), JSON.stringify(record, null, 1));
    } catch {
      // Recording is evidence, never in the way of a certification.
    }
  }
}
