// Cron expressions, read the way BullMQ's job schedulers read them (both use
// cron-parser): five fields, or six with seconds first.
import { CronExpressionParser } from "cron-parser";

export function isCron(expression: string, tz = "UTC"): boolean {
  return cronError(expression, tz) === null;
}

// Why an expression or time zone cannot be used, or null.
export function cronError(expression: string, tz = "UTC"): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return "must have 5 fields (minute hour day month weekday), or 6 with seconds first";
  if (!isTimeZone(tz)) return `unknown time zone "${tz}"`;
  try {
    CronExpressionParser.parse(expression, { tz }).next();
    return null;
  } catch (err) {
    return (err as Error).message.slice(0, 200);
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// The next `count` times an expression fires after `from`.
export function nextFireTimes(expression: string, tz: string, count = 3, from = new Date()): Date[] {
  const it = CronExpressionParser.parse(expression, { tz, currentDate: from });
  return Array.from({ length: count }, () => it.next().toDate());
}

// The shortest gap between consecutive firings, in seconds, over the next few.
export function shortestIntervalSeconds(expression: string, tz: string, from = new Date()): number {
  const times = nextFireTimes(expression, tz, 6, from).map((d) => d.getTime());
  return Math.min(...times.slice(1).map((t, i) => (t - times[i]!) / 1000));
}
