// `npm run dev`: the whole product on its embedded defaults. Prepares the
// database (create, migrate, seed), then runs the web app on :3000 with
// prefixed logs; Ctrl-C stops everything.
import { spawnSync } from "node:child_process";
import concurrently from "concurrently";

const prepared = spawnSync("npm", ["run", "--silent", "db:prepare"], { stdio: "inherit" });
if (prepared.status !== 0) {
  console.error("\nThe database could not be prepared. Is PostgreSQL running? (README: Requirements)");
  process.exit(prepared.status ?? 1);
}

const { result } = concurrently([{ name: "web", command: "next dev --port 3000", prefixColor: "blue" }], {
  killOthersOn: ["failure", "success"],
  prefix: "name",
});

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
