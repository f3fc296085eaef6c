"use client";
// Who is signed in, for client components: a viewer sees no control that
// changes anything (the API refuses them anyway).
import { createContext, useContext, type ReactNode } from "react";

export type SessionInfo = { email: string; role: "admin" | "viewer" };

const SessionContext = createContext<SessionInfo | null>(null);

export function SessionProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in layout");
  return session;
}

export const useCanEdit = () => useSession().role === "admin";
