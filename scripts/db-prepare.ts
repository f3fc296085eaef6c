// `npm run db:prepare`: brings the configured database up to date. Creates it
// when missing, applies committed migrations with the stock Prisma CLI
// (`prisma migrate deploy`), then seeds the catalog. Idempotent; `npm run dev`
// runs it before starting anything.
import { spawnSync } from "node:child_process";
import { env } from "@/lib/env";

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: env.DATABASE_URL } });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

const where = new URL(env.DATABASE_URL);
console.log(`Preparing database ${where.pathname.slice(1)} on ${where.hostname}:${where.port || 5432}`);
run("npx", ["prisma", "migrate", "deploy"]);
run("npx", ["tsx", "--conditions=react-server", "prisma/seed.ts"]);
