// Text PostgreSQL cannot store or that only an attacker sends: a NUL byte (a
// text column refuses it), a lone UTF-16 surrogate (not encodable as UTF-8),
// and U+FFFD, which is what invalid UTF-8 in a query string or body decodes
// to. Found anywhere in a value (object keys included), it is named by its
// path — "regions.2", as zod names fields — so that the 400 says which field.
const UNSAFE = /[\u0000\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REASON = "holds a NUL byte, invalid UTF-8 or a lone surrogate";

// `whole` names the value itself ("(body)", "(query)", "(path)").
export function unsafeText(value: unknown, whole: string): { field: string; reason: string } | null {
  const walk = (v: unknown, path: string[]): { field: string; reason: string } | null => {
    if (typeof v === "string") return UNSAFE.test(v) ? { field: path.join(".") || whole, reason: REASON } : null;
    if (path.length > 64 || v === null || typeof v !== "object") return null;
    for (const [key, item] of Object.entries(v)) {
      if (UNSAFE.test(key)) return { field: [...path, "(name)"].join(".") || whole, reason: `a field name ${REASON}` };
      const found = walk(item, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  return walk(value, []);
}
