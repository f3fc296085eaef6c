// "10.0.0.0/8" and "fd00::/8" style CIDRs (WEBHOOK_ALLOWED_NETWORKS). Pure.
import { isIP } from "node:net";

export function isCidr(text: string): boolean {
  const [address, bits, extra] = text.split("/");
  if (extra !== undefined || !address || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 6 ? 128 : 32);
}
