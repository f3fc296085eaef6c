// Who is on the other end of a request. The socket's address is the truth
// unless the operator says a reverse proxy stands in front (TRUSTED_PROXIES):
// only then is X-Forwarded-For read, right to left, and only through the hops
// that are trusted. Anything a client writes in that header itself is ignored.
import { BlockList, isIP } from "node:net";

export type TrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "list"; list: BlockList; text: string };

// "" → none; "2" → the two nearest hops are proxies; "10.0.0.0/8, 127.0.0.1, ::1" → those addresses.
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const value = (text ?? "").trim();
  if (!value) return { kind: "none" };
  if (/^\d+$/.test(value)) return { kind: "hops", hops: Number(value) };
  const list = new BlockList();
  for (const entry of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address!, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
      list.addSubnet(address!, bits, type);
    }
  }
  return { kind: "list", list, text: value };
}

// IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d: keep them IPv4,
// so that rate limits and the audit log see one form per client.
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

const trusted = (list: BlockList, address: string) => list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, proxies: TrustedProxies): string {
  const socket = normalizeAddress(socketAddress ?? "0.0.0.0");
  if (proxies.kind === "none") return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  // Nearest first: the socket, then the header's entries from the right.
  const chain = [
    socket,
    ...header
      .split(",")
      .map((s) => normalizeAddress(s.trim()))
      .filter(Boolean)
      .reverse(),
  ];
  let i = 0;
  for (; i + 1 < chain.length; i++) {
    const isProxy = proxies.kind === "hops" ? i < proxies.hops : trusted(proxies.list, chain[i]!);
    if (!isProxy) break;
    // A proxy that forwards garbage is not followed past.
    if (!isIP(chain[i + 1]!)) break;
  }
  return chain[i]!;
}
