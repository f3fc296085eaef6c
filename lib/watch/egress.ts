import "server-only";
// Where webhooks may go. A subscription's URL is an admin's word, but a
// delivery is a request from inside the installation: to loopback it reaches
// Redis, PostgreSQL, the worker's /metrics and the simulator's admin API; to
// 169.254.169.254 a cloud's credentials (issue 28). So a webhook goes only to
// public addresses, in every notation (the WHATWG URL parser turns
// 2130706433, 0x7f000001 and 127.1 into 127.0.0.1 before we look), checked
// when the subscription is saved and again on the address each delivery
// actually connects to (the check runs in the socket's DNS lookup: no window
// for a name that resolves to a public address first and a private one later).
// WEBHOOK_ALLOWED_NETWORKS opens chosen ranges for on-premises receivers.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

// Special-purpose ranges (IANA IPv4 and IPv6 registries) no webhook may reach.
const FORBIDDEN_V4 = [
  ["0.0.0.0", 8, "this network"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local (cloud metadata)"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
] as const;
const FORBIDDEN_V6 = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b::", 96, "NAT64"],
  ["100::", 64, "discard"],
  ["2001:db8::", 32, "documentation"],
  ["fc00::", 7, "unique local"],
  ["fe80::", 10, "link-local"],
  ["ff00::", 8, "multicast"],
] as const;

// Host names that mean "this machine" or "the cloud's metadata service".
const FORBIDDEN_NAMES = /^(localhost|.*\.localhost|metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal|.*\.internal)$/i;

export type EgressPolicy = { allowed: BlockList; allowedText: string[] };

export function egressPolicy(allowedNetworks: string[] = []): EgressPolicy {
  const allowed = new BlockList();
  for (const cidr of allowedNetworks) {
    const [address, bits] = cidr.split("/");
    const family = isIP(address ?? "") === 6 ? "ipv6" : "ipv4";
    allowed.addSubnet(address!, Number(bits ?? (family === "ipv6" ? 128 : 32)), family);
  }
  return { allowed, allowedText: allowedNetworks };
}

// The policy of this installation (WEBHOOK_ALLOWED_NETWORKS), made once.
let installed: EgressPolicy | null = null;
export const webhookEgress = (): EgressPolicy => (installed ??= egressPolicy(env.WEBHOOK_ALLOWED_NETWORKS));

const forbidden = new BlockList();
for (const [a, bits] of FORBIDDEN_V4) forbidden.addSubnet(a, bits, "ipv4");
for (const [a, bits] of FORBIDDEN_V6) forbidden.addSubnet(a, bits, "ipv6");

function rangeOf(address: string, family: "ipv4" | "ipv6"): string {
  const table = family === "ipv4" ? FORBIDDEN_V4 : FORBIDDEN_V6;
  for (const [a, bits, name] of table) {
    const one = new BlockList();
    one.addSubnet(a, bits, family);
    if (one.check(address, family)) return name;
  }
  return "special-purpose";
}

// Why an address is out of bounds, or null when a webhook may go there.
export function refusedAddress(address: string, policy: EgressPolicy): string | null {
  let ip = address.replace(/^\[|\]$/g, "");
  let family: "ipv4" | "ipv6" = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (isIP(ip) === 0) return `${address} is not an IP address`;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) is that IPv4 address.
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (family === "ipv6" && mapped) {
    ip = mapped[1] ?? [parseInt(mapped[2]!, 16) >> 8, parseInt(mapped[2]!, 16) & 255, parseInt(mapped[3]!, 16) >> 8, parseInt(mapped[3]!, 16) & 255].join(".");
    family = "ipv4";
  }
  if (policy.allowed.check(ip, family)) return null;
  if (forbidden.check(ip, family)) return `${ip} is a ${rangeOf(ip, family)} address`;
  return null;
}

export class EgressRefused extends Error {
  constructor(readonly reason: string) {
    super(`refused by the webhook egress policy: ${reason}`);
    this.name = "EgressRefused";
  }
}

// A URL's host, checked as far as it can be without the network: the scheme,
// the name, an IP literal. Null when it may be tried.
export function refusedUrl(raw: string, policy: EgressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.username || url.password) return "must not carry credentials";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return refusedAddress(host, policy);
  // With networks opened on purpose, such a name is judged by what it resolves to.
  if (FORBIDDEN_NAMES.test(host) && policy.allowedText.length === 0) return `${host} names this machine or a metadata service`;
  return null;
}

// The URL and, when its name resolves, every address it resolves to. A name
// that does not resolve now is allowed to be saved (it is checked at send).
export async function checkWebhookUrl(raw: string, policy: EgressPolicy): Promise<string | null> {
  const early = refusedUrl(raw, policy);
  if (early) return early;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return null;
  const addresses = await new Promise<LookupAddress[]>((resolve) => dnsLookup(host, { all: true }, (err, list) => resolve(err ? [] : list)));
  if (addresses.length === 0 && FORBIDDEN_NAMES.test(host)) return `${host} names this machine or a metadata service`;
  for (const a of addresses) {
    const why = refusedAddress(a.address, policy);
    if (why) return `${host} resolves to ${why.replace(/^\S+ is /, "")}`;
  }
  return null;
}

// A DNS lookup for http.request that refuses forbidden addresses: the check is
// made on the very address the socket connects to.
export function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(new EgressRefused(`${hostname} resolves to ${why.replace(/^\S+ is /, "")}`), []);
      }
      const all = (options as { all?: boolean }).all;
      if (all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

// POSTs a webhook body through the guarded lookup, following no redirect. The
// outcome is a status code or an error category an admin can act on, never a
// raw socket message (which would make the delivery log a port scanner).
export async function postGuarded(raw: string, headers: Record<string, string>, body: string, timeoutMs: number, policy: EgressPolicy): Promise<{ code: number | null; error: string | null }> {
  const url = new URL(raw);
  const refused = refusedUrl(raw, policy);
  if (refused) return { code: null, error: `refused by the egress policy: ${refused}` };
  const { request } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy) as never,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ code: res.statusCode ?? null, error: res.statusCode && res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}` }));
        res.on("error", () => resolve({ code: res.statusCode ?? null, error: "connection reset" }));
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })));
    req.on("error", (err) => resolve({ code: null, error: deliveryErrorCategory(err, timeoutMs) }));
    req.end(body);
  });
}

export function deliveryErrorCategory(err: Error & { code?: string }, timeoutMs: number): string {
  if (err instanceof EgressRefused) return `refused by the egress policy: ${err.reason}`;
  const code = err.code ?? "";
  if (err.name === "TimeoutError" || err.name === "AbortError" || code === "ETIMEDOUT") return `timeout: no answer in ${timeoutMs} ms`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "EPIPE") return "connection reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "DNS: the host name does not resolve";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "network unreachable";
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate|tls|ssl/i.test(err.message)) return "TLS: the receiver's certificate or handshake failed";
  return "connection failed";
}
