"use client";
// A Server-Sent Events subscription for as long as the component is mounted:
// named events to handlers, and whether the stream is open. EventSource
// reconnects by itself and resumes with Last-Event-ID.
import { useEffect, useLayoutEffect, useRef, useState } from "react";

export function useEventSource(url: string, handlers: Record<string, (data: unknown) => void>): boolean {
  const [open, setOpen] = useState(false);
  // The latest handlers, without reconnecting when they change.
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  const events = Object.keys(handlers).sort().join(",");
  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => setOpen(true);
    source.onerror = () => setOpen(false);
    for (const name of events.split(",").filter(Boolean)) source.addEventListener(name, (m) => latest.current[name]?.(JSON.parse((m as MessageEvent<string>).data)));
    return () => source.close();
  }, [url, events]);
  return open;
}
