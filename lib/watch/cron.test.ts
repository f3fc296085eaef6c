import { describe, expect, it } from "vitest";
import { cronError, nextFireTimes, shortestIntervalSeconds } from "./cron";

describe("cron expressions", () => {
  it("accepts five and six fields, in a time zone", () => {
    expect(cronError("0 6 * * *", "Europe/Paris")).toBeNull();
    expect(cronError("*/10 * * * * *")).toBeNull();
  });

  it("says why an expression or a time zone is refused", () => {
    expect(cronError("0 6 * *")).toMatch(/5 fields/);
    expect(cronError("0 25 * * *")).not.toBeNull();
    expect(cronError("0 6 * * *", "Mars/Olympus")).toMatch(/time zone/);
  });

  it("measures the shortest gap between firings", () => {
    expect(shortestIntervalSeconds("*/10 * * * * *", "UTC")).toBe(10);
    expect(shortestIntervalSeconds("0,1 * * * *", "UTC")).toBe(60);
    expect(shortestIntervalSeconds("0 6 * * *", "UTC")).toBe(86_400);
  });

  it("gives the next fire times in the schedule's time zone", () => {
    const from = new Date("2026-06-01T00:00:00Z");
    // 06:00 in Paris is 04:00 UTC in summer.
    expect(nextFireTimes("0 6 * * *", "Europe/Paris", 2, from).map((d) => d.toISOString())).toEqual(["2026-06-01T04:00:00.000Z", "2026-06-02T04:00:00.000Z"]);
  });
});
