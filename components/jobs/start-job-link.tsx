"use client";
// "Start certification": a link to the plain start form (/jobs/new), which
// works with JavaScript off; with JavaScript on it opens the start dialog
// instead (live pair counts as the selection changes).
import Link from "next/link";
import type { MouseEvent } from "react";

export function StartJobLink({ onStart }: { onStart: () => void }) {
  const open = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // a new tab gets the form
    e.preventDefault();
    onStart();
  };
  return (
    <Link
      href="/jobs/new"
      onClick={open}
      role="button"
      data-testid="start-job"
      className="inline-flex items-center justify-center gap-1.5 rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white transition-colors hover:bg-sky-800"
    >
      Start certification
    </Link>
  );
}
