// Structured logs (JSON lines) for every process, at LOG_LEVEL.
import pino from "pino";
import { env } from "@/lib/env";

export function createLogger(name: string) {
  return pino({ name, level: env.LOG_LEVEL, base: { pid: process.pid, name } });
}
