import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseTrustedProxies } from "./client-address";

describe("clientAddress", () => {
  it("with no trusted proxy, is the socket's address whatever X-Forwarded-For says", () => {
    expect(clientAddress("::ffff:127.0.0.1", "8.8.8.8", parseTrustedProxies(undefined))).toBe("127.0.0.1");
    expect(clientAddress("203.0.113.5", undefined, parseTrustedProxies(""))).toBe("203.0.113.5");
  });

  it("with a list, walks X-Forwarded-For from the right through trusted hops only", () => {
    const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1");
    // client → 10.1.1.1 (proxy) → 127.0.0.1 (proxy) → us
    expect(clientAddress("127.0.0.1", "198.51.100.7, 10.1.1.1", proxies)).toBe("198.51.100.7");
    // A client that prepends its own "X-Forwarded-For: 1.2.3.4" gains nothing.
    expect(clientAddress("127.0.0.1", "1.2.3.4, 198.51.100.7", proxies)).toBe("198.51.100.7");
    // A request straight from an untrusted address: its header is not read.
    expect(clientAddress("198.51.100.9", "1.2.3.4", proxies)).toBe("198.51.100.9");
    // A proxy forwarding garbage is not followed past.
    expect(clientAddress("127.0.0.1", "not-an-ip", proxies)).toBe("127.0.0.1");
  });

  it("with a hop count, trusts that many nearest hops", () => {
    expect(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1", parseTrustedProxies("2"))).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.2", "198.51.100.7", parseTrustedProxies("1"))).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.2", "", parseTrustedProxies("1"))).toBe("10.0.0.2");
  });

  it("keeps one form per client and refuses a bad setting", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(() => parseTrustedProxies("10.0.0.0/99")).toThrow(/prefix/);
    expect(() => parseTrustedProxies("proxy.example")).toThrow(/not an IP/);
  });
});
