// application/vnd.amazon.eventstream frames, as Bedrock's ConverseStream sends
// them: one binary message per event, with :event-type / :message-type headers.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const header = (value: string) => ({ type: "string" as const, value });

// AWS pads every event with a "p" field of random length (so that the size of
// an encrypted frame says nothing of its text): a client must ignore it.
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const padding = () => PADDING.slice(0, 1 + Math.floor(Math.random() * PADDING.length));

export function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: { ":event-type": header(eventType), ":content-type": header("application/json"), ":message-type": header("event") },
    body: fromUtf8(JSON.stringify({ ...payload, p: padding() })),
  });
}

// An error inside an open stream: the SDK throws it from the event iterator.
export function exceptionFrame(exceptionMember: string, payload: { message: string } & Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: { ":exception-type": header(exceptionMember), ":content-type": header("application/json"), ":message-type": header("exception") },
    body: fromUtf8(JSON.stringify(payload)),
  });
}
