"use client";

import { useTheme } from "next-themes";
import { useHydrated } from "@/components/ui/use-hydrated";

const NEXT = { system: "light", light: "dark", dark: "system" } as const;

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored theme is only known in the browser.
  const current = (useHydrated() ? theme : "system") as keyof typeof NEXT;
  return (
    <button
      type="button"
      onClick={() => setTheme(NEXT[current] ?? "system")}
      className="rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      aria-label={`Theme: ${current}. Switch to ${NEXT[current] ?? "system"}`}
      title="Switch theme"
    >
      {current === "dark" ? "☾ Dark" : current === "light" ? "☀ Light" : "◐ System"}
    </button>
  );
}
