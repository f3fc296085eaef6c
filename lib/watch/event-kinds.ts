// What the product notices and can notify about (docs/monitoring.md).
export const EVENT_KINDS = ["regression", "incident.opened", "incident.resolved", "catalog.change", "job.finished", "job.paused"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
// A "send test" event goes to the one subscription it was asked for.
export type AnyEventKind = EventKind | "test";
