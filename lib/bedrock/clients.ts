import "server-only";
// The one place that constructs AWS SDK clients for Bedrock. Everything else asks
// this module for a Region's runtime or control-plane client.
//
// Both clients use an HTTP/1.1 handler: the runtime client's default HTTP/2
// handler cannot talk to a plain HTTP/1.1 endpoint such as the simulator, and
// Converse, ConverseStream and InvokeModel work over HTTP/1.1 against AWS too,
// so the same code path serves both.
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Env } from "@/lib/env";
import { RecordingHttpHandler } from "./recording";

// The SDK warns on Node 20 that its releases after January 2027 will need
// Node 22. This product pins an SDK release that supports Node 20.19+ (the
// README's floor, and CI's), so the warning says nothing about this install:
// every process would print it, several lines each (issue 29). An operator
// who sets the variable keeps the choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export type BedrockConnection = {
  // Set: talk to this endpoint with the static credentials. Unset: real AWS.
  endpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  callTimeoutMs: number;
  connectTimeoutMs: number;
  sdkMaxAttempts: number;
  // Set: every exchange is written there (lib/bedrock/recording.ts).
  recordDir?: string;
};

export function bedrockConnectionFromEnv(env: Env): BedrockConnection {
  return {
    endpoint: env.BEDROCK_ENDPOINT,
    credentials: { accessKeyId: env.BEDROCK_ACCESS_KEY_ID, secretAccessKey: env.BEDROCK_SECRET_ACCESS_KEY },
    callTimeoutMs: env.BEDROCK_CALL_TIMEOUT_MS,
    connectTimeoutMs: env.BEDROCK_CONNECT_TIMEOUT_MS,
    sdkMaxAttempts: env.BEDROCK_SDK_MAX_ATTEMPTS,
    recordDir: env.BEDROCK_RECORD_DIR,
  };
}

export type BedrockClients = {
  connection: BedrockConnection;
  runtime(region: string): BedrockRuntimeClient;
  control(region: string): BedrockClient;
  destroy(): void;
};

// Clients are cached per Region: each holds a keep-alive connection pool.
export function createBedrockClients(connection: BedrockConnection): BedrockClients {
  const runtimeClients = new Map<string, BedrockRuntimeClient>();
  const controlClients = new Map<string, BedrockClient>();

  const common = (region: string) => ({
    region,
    maxAttempts: connection.sdkMaxAttempts,
    requestHandler: (() => {
      // Idle-socket timeout; the per-call deadline is enforced by withDeadline().
      const options = { connectionTimeout: connection.connectTimeoutMs, requestTimeout: connection.callTimeoutMs };
      return connection.recordDir ? new RecordingHttpHandler(options, connection.recordDir) : new NodeHttpHandler(options);
    })(),
    ...(connection.endpoint ? { endpoint: connection.endpoint, credentials: connection.credentials } : {}),
  });

  return {
    connection,
    runtime(region) {
      let client = runtimeClients.get(region);
      if (!client) runtimeClients.set(region, (client = new BedrockRuntimeClient(common(region))));
      return client;
    },
    control(region) {
      let client = controlClients.get(region);
      if (!client) controlClients.set(region, (client = new BedrockClient(common(region))));
      return client;
    },
    destroy() {
      for (const c of runtimeClients.values()) c.destroy();
      for (const c of controlClients.values()) c.destroy();
      runtimeClients.clear();
      controlClients.clear();
    },
  };
}

export class BedrockCallTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Bedrock call exceeded its ${timeoutMs} ms deadline`);
    this.name = "BedrockCallTimeout";
  }
}

export class BedrockCallAborted extends Error {
  constructor() {
    super("Bedrock call aborted");
    this.name = "BedrockCallAborted";
  }
}

// Runs one SDK call with a deadline and the caller's cancellation signal. The
// signal handed to `call` reaches the SDK (`send(cmd, { abortSignal })`), which
// tears down the HTTP request; the rejection says which of the two fired.
export async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, options: { timeoutMs: number; signal?: AbortSignal }): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  if (options.signal?.aborted) throw new BedrockCallAborted();
  try {
    return await call(signal);
  } catch (err) {
    if (options.signal?.aborted) throw new BedrockCallAborted();
    if (deadline.aborted) throw new BedrockCallTimeout(options.timeoutMs);
    throw err;
  }
}
