import { describe, expect, it } from "vitest";
import { DependencyDown, isDependencyDown } from "./dependency-down";

describe("isDependencyDown", () => {
  it.each([
    new DependencyDown("PostgreSQL"),
    Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }),
    Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" }),
    Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    new Error("Connection terminated unexpectedly"),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    Object.assign(new Error("Reached the max retries per request limit (which is 20)."), { name: "MaxRetriesPerRequestError" }),
    new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }),
  ])("%s is a dependency down", (err) => {
    expect(isDependencyDown(err)).toBe(true);
  });

  it.each([new Error("Unique constraint failed"), Object.assign(new Error("x"), { code: "P2002" }), new TypeError("x is undefined"), null, "string"])("%s is not", (err) => {
    expect(isDependencyDown(err)).toBe(false);
  });
});
