import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, egressPolicy, postGuarded, refusedAddress, refusedUrl } from "./egress";

const closed = egressPolicy([]);

describe("webhook egress policy", () => {
  it.each([
    "http://localhost:6379/",
    "http://127.0.0.1:5432/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://0.0.0.0:4610/metrics",
    "http://[::1]:4599/_simulator/reset",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://instance-data/latest/",
    "http://app.localhost/",
    "http://user:pass@hooks.example.com/",
    "ftp://example.com/hook",
  ])("refuses %s", (url) => {
    expect(refusedUrl(url, closed)).not.toBeNull();
  });

  it.each(["https://hooks.slack.com/services/T0/B0/x", "https://8.8.8.8/hook", "https://[2606:4700::1111]/hook", "http://93.184.216.34:8080/"])("allows %s", (url) => {
    expect(refusedUrl(url, closed)).toBeNull();
  });

  it("names why: the range an address is in", () => {
    expect(refusedAddress("169.254.169.254", closed)).toMatch(/link-local \(cloud metadata\)/);
    expect(refusedAddress("::ffff:10.1.2.3", closed)).toMatch(/^10\.1\.2\.3 is a private address/);
  });

  it("WEBHOOK_ALLOWED_NETWORKS opens chosen ranges, and only those", () => {
    const onPrem = egressPolicy(["10.20.0.0/16", "127.0.0.0/8"]);
    expect(refusedUrl("http://10.20.3.4/hook", onPrem)).toBeNull();
    expect(refusedUrl("http://127.0.0.1:9000/hook", onPrem)).toBeNull();
    expect(refusedUrl("http://10.21.0.1/hook", onPrem)).not.toBeNull();
    expect(refusedUrl("http://169.254.169.254/", onPrem)).not.toBeNull();
  });

  it("a name is judged by what it resolves to", async () => {
    // With another range opened, "localhost" is not refused by its name: by its address.
    expect(await checkWebhookUrl("http://localhost/hook", egressPolicy(["10.0.0.0/8"]))).toMatch(/^localhost resolves to a loopback address/);
    expect(await checkWebhookUrl("http://localhost/hook", closed)).toMatch(/names this machine/);
  });

  it("at send time the address actually connected to is checked: nothing reaches a loopback receiver", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // Saved before the policy (or through a name that resolved elsewhere then): still refused.
      for (const url of [`http://127.0.0.1:${port}/h`, `http://localhost:${port}/h`]) {
        expect(await postGuarded(url, {}, "{}", 2_000, closed), url).toMatchObject({ code: null, error: expect.stringMatching(/^refused by the egress policy/) });
      }
      expect(hits).toBe(0);
      // A name refused only once it resolves (the lookup of the connection itself).
      expect(await postGuarded(`http://localhost:${port}/h`, {}, "{}", 2_000, egressPolicy(["10.0.0.0/8"]))).toMatchObject({
        error: expect.stringMatching(/^refused by the egress policy: localhost resolves to a loopback/),
      });
      expect(hits).toBe(0);
      // Opened on purpose, it is delivered.
      expect(await postGuarded(`http://localhost:${port}/h`, {}, "{}", 2_000, egressPolicy(["127.0.0.0/8", "::1/128"]))).toEqual({ code: 200, error: null });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it("delivery errors are categories, not socket text", async () => {
    const open = egressPolicy(["127.0.0.0/8"]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await postGuarded(`http://127.0.0.1:${port}/h`, {}, "{}", 2_000, open)).toEqual({ code: null, error: "connection refused" });
  });
});
