// The web process's "shutting down" signal. The web server (server/main.ts)
// raises it on SIGTERM; long-lived responses (SSE streams) listen and end, so
// that the process can exit within its grace period. Kept on globalThis
// because Next bundles route handlers apart from the server's own modules:
// both must see the same controller.
const KEY = Symbol.for("bedrock-cert.web.shutdown");
type Holder = { [KEY]?: AbortController };

const controller = () => ((globalThis as Holder)[KEY] ??= new AbortController());

export const shutdownSignal = (): AbortSignal => controller().signal;
export const beginShutdown = (): void => controller().abort();
