"use client";
// The console's navigation: a row of links on a wide screen; below 900 px,
// where the eight of them no longer fit beside the status and the account,
// one "Menu" button that opens them as a list (issue 29: on a phone four
// pages were off-screen with no way to reach them).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

const LINKS = [
  { href: "/", label: "Matrix" },
  { href: "/jobs", label: "Jobs" },
  { href: "/models", label: "Models" },
  { href: "/regions", label: "Regions" },
  { href: "/schedules", label: "Schedules" },
  { href: "/incidents", label: "Incidents" },
  { href: "/events", label: "Feed" },
  { href: "/settings", label: "Settings" },
];

const linkClass = (active: boolean) =>
  `rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`;

export function NavLinks() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const isActive = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <>
      <nav aria-label="Main" className="hidden items-center gap-1 min-[900px]:flex">
        {LINKS.map(({ href, label }) => (
          <Link key={href} href={href} aria-current={isActive(href) ? "page" : undefined} className={linkClass(isActive(href))}>
            {label}
          </Link>
        ))}
      </nav>
      <div className="relative min-[900px]:hidden">
        <button
          type="button"
          aria-expanded={open}
          aria-controls="main-menu"
          onClick={() => setOpen((o) => !o)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 dark:border-slate-700 dark:text-slate-200"
          data-testid="nav-menu-button"
        >
          {open ? "Close" : "Menu"}
        </button>
        {open && (
          <nav
            id="main-menu"
            aria-label="Main"
            className="absolute top-full right-0 z-40 mt-1 flex w-48 flex-col gap-0.5 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
            data-testid="nav-menu"
          >
            {LINKS.map(({ href, label }) => (
              // A link followed closes the menu.
              <Link key={href} href={href} onClick={() => setOpen(false)} aria-current={isActive(href) ? "page" : undefined} className={linkClass(isActive(href))}>
                {label}
              </Link>
            ))}
          </nav>
        )}
      </div>
    </>
  );
}
