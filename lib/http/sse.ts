import "server-only";
// Server-Sent Events from the progress stream in Redis. Each event's id is its
// Redis stream entry id, so a client that reconnects with Last-Event-ID (as
// EventSource does by itself) gets exactly the events it missed, then live ones.
import { parseProgress, progressStreamKey, type ProgressEvent } from "@/lib/certification/events";
import { env } from "@/lib/env";
import { createRedisConnection } from "@/lib/redis";

const STREAM_ID = /^\d+-\d+$/;

async function newestEntryId(redis: ReturnType<typeof createRedisConnection>, key: string): Promise<string> {
  const newest = (await redis.xrevrange(key, "+", "-", "COUNT", 1)) as [string, string[]][];
  return newest[0]?.[0] ?? "0-0";
}

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

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => !closed && controller.enqueue(encoder.encode(text));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 15_000);
      try {
        send("retry: 2000\n\n");
        // Resume after the client's last event, or start from the stream's
        // newest entry, read *before* the snapshot so that nothing published
        // between the snapshot and the first XREAD is lost.
        let cursor = lastEventId && STREAM_ID.test(lastEventId) ? lastEventId : await newestEntryId(redis, key);
        const first = await options.first?.();
        if (first) send(`event: ${first.event}\ndata: ${JSON.stringify(first.data)}\n\n`);
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
