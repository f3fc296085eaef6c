import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLinks } from "@/components/layout/nav-links";
import { SessionProvider } from "@/components/layout/session-context";
import { SystemStatus } from "@/components/layout/system-status";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { requireSignedIn } from "@/lib/auth/page-guard";

export const dynamic = "force-dynamic";

// Every console page: signed-in only, with the navigation and who is signed in.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireSignedIn();
  return (
    <SessionProvider session={{ email: actor.email, role: actor.role }}>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-3 px-4 py-2">
          <div className="flex items-center gap-4">
            <Link href="/" className="text-sm font-semibold tracking-tight">
              Bedrock Region Certification
            </Link>
            <NavLinks />
          </div>
          <div className="flex items-center gap-3">
            <SystemStatus />
            <ThemeToggle />
            <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="signed-in-as">
              {actor.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium dark:bg-slate-800">{actor.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6">
        {children}
      </main>
    </SessionProvider>
  );
}
