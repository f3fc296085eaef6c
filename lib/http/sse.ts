import "server-only";
// Server-Sent Events from the progress stream in Redis. Each event's id is its
// Redis stream entry id, so a client that reconnects with Last-Event-ID (as
// EventSource does by itself) gets exactly the events it missed, then live ones.
import { parseProgress, progressStreamKey, progressStreamPosition, type ProgressEvent } from "@/lib/certification/events";
import { env } from "@/lib/env";
import { createRedisConnection } from "@/lib/redis";
import { shutdownSignal } from "./shutdown";

const STREAM_ID = /^\d+-\d+$/;

type Connection = ReturnType<typeof createRedisConnection>;

const compareIds = (a: string, b: string) => {
  const [am, as] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split("-").map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
};

// Where to resume a client that sent Last-Event-ID: only from an id this
// stream could have given it (well formed, not in the future) and whose
// successors are all still kept (not trimmed away). Anything else — garbage,
// a huge or future id, one older than what is kept — gets a fresh snapshot
// instead: a client must never wait in silence or miss events unknowingly.
export async function resumeCursor(redis: Connection, key: string, lastEventId: string | null): Promise<string | null> {
  if (!lastEventId || lastEventId.length > 41 || !STREAM_ID.test(lastEventId)) return null;
  const [oldest, newest] = await Promise.all([redis.xrange(key, "-", "+", "COUNT", 1) as Promise<[string, string[]][]>, redis.xrevrange(key, "+", "-", "COUNT", 1) as Promise<[string, string[]][]>]);
  const first = oldest[0]?.[0];
  const last = newest[0]?.[0];
  if (!first || !last) return null;
  if (compareIds(lastEventId, last) > 0) return null;
  // The entry right after the client's must still be here: the client's own id
  // is at or after the oldest kept one.
  if (compareIds(lastEventId, first) < 0) return null;
  return lastEventId;
}

// `first` is the snapshot a client gets when it starts afresh (not when it resumes).
export function progressEventStream(request: Request, options: { keep: (e: ProgressEvent) => boolean; first?: () => Promise<{ event: string; data: unknown } | null> }): Response {
  const key = progressStreamKey(env.QUEUE_PREFIX);
  const lastEventId = request.headers.get("last-event-id");
  const encoder = new TextEncoder();
  // XREAD BLOCK holds its connection: one per client, closed with it.
  const redis = createRedisConnection({ maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  let closed = false;
  const close = () => {
    closed = true;
    redis.disconnect();
  };
  request.signal.addEventListener("abort", close);
  const shutdown = shutdownSignal();

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => !closed && controller.enqueue(encoder.encode(text));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 15_000);
      // The server is stopping: tell the client to come back (to this server's
      // successor, or another one), and end the stream. It resumes with Last-Event-ID.
      const onShutdown = () => {
        send("retry: 500\nevent: reconnect\ndata: {}\n\n");
        close();
      };
      if (shutdown.aborted) {
        onShutdown();
        controller.close();
        return;
      }
      shutdown.addEventListener("abort", onShutdown, { once: true });
      try {
        send("retry: 2000\n\n");
        // Resume after the client's last event, or start from the stream's
        // newest entry, read *before* the snapshot so that nothing published
        // between the snapshot and the first XREAD is lost.
        const resumed = await resumeCursor(redis, key, lastEventId);
        let cursor = resumed ?? (await progressStreamPosition(redis, env.QUEUE_PREFIX));
        const first = resumed ? null : await options.first?.();
        if (first) send(`event: ${first.event}\ndata: ${JSON.stringify(first.data)}\n\n`);
        // Every event published from now on will be delivered: a client (a
        // test, a script) may act on the stream from here. `from`: the entry
        // the stream delivers after; a page that noted the stream's position
        // before reading its data missed nothing when the two are the same.
        send(`event: ready\ndata: ${JSON.stringify({ from: cursor })}\n\n`);
        while (!closed) {
          const batch = (await redis.xread("COUNT", 500, "BLOCK", 10_000, "STREAMS", key, cursor)) as [string, [string, string[]][]][] | null;
          for (const [, entries] of batch ?? []) {
            for (const [id, fields] of entries) {
              cursor = id;
              const event = parseProgress(fields[1] ?? "");
              if (event && options.keep(event)) send(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
            }
          }
        }
      } catch {
        // The client went away or Redis dropped: the client reconnects with Last-Event-ID.
      } finally {
        shutdown.removeEventListener("abort", onShutdown);
        clearInterval(heartbeat);
        close();
        try {
          controller.close();
        } catch {
          // already closed
        }
      }
    },
    cancel: close,
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" } });
}
