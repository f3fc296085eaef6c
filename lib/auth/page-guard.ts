import "server-only";
// Pages show nothing to anyone not signed in.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { actorFrom, type Actor } from "./actor";

export async function requireSignedIn(): Promise<Actor> {
  const actor = await actorFrom(await headers());
  if (!actor) redirect("/sign-in");
  return actor;
}
