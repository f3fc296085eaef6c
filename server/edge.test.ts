import { describe, expect, it } from "vitest";
import { refuse } from "./edge";

const req = (url: string, method = "GET", headers: Record<string, string> = {}) => ({ url, method, headers });

describe("refuse", () => {
  it("paths that are not valid percent-encoded UTF-8 or hold a NUL byte", () => {
    expect(refuse(req("/api/v1/jobs/%C0%AF"), 1024)).toMatchObject({ status: 400, field: "(path)" });
    expect(refuse(req("/api/v1/jobs/%E0%A4%A"), 1024)).toMatchObject({ status: 400 });
    expect(refuse(req("/api/v1/jobs/a%00"), 1024)).toMatchObject({ status: 400 });
    expect(refuse(req("/api/v1/jobs/ok-id?q=%C0"), 1024)).toBeNull();
  });

  it("bodies over the limit (smaller for sign-in), of unknown length on the API, or with a bad length", () => {
    expect(refuse(req("/api/v1/jobs", "POST", { "content-length": "2048" }), 1024)).toMatchObject({ status: 413 });
    expect(refuse(req("/api/v1/jobs", "POST", { "content-length": "1024" }), 1024)).toBeNull();
    expect(refuse(req("/api/auth/sign-in/email", "POST", { "content-length": String(20 * 1024) }), 1024 * 1024)).toMatchObject({ status: 413 });
    expect(refuse(req("/api/v1/jobs", "POST", { "transfer-encoding": "chunked" }), 1024)).toMatchObject({ status: 411 });
    expect(refuse(req("/api/v1/jobs", "POST", { "content-length": "12abc" }), 1024)).toMatchObject({ status: 400 });
    expect(refuse(req("/api/v1/jobs", "GET", { "content-length": "999999" }), 1024)).toBeNull();
  });
});
