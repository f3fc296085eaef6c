import type { Metadata } from "next";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers/query-provider";
import { SystemStatus } from "@/components/layout/system-status";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bedrock Region Certification", template: "%s · Bedrock Region Certification" },
  description: "Certifies Amazon Bedrock foundation models Region by Region.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <QueryProvider>
          <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <div className="mx-auto flex max-w-7xl items-center justify-between px-6 py-3">
              <a href="/" className="text-sm font-semibold tracking-tight">
                Bedrock Region Certification
              </a>
              <SystemStatus />
            </div>
          </header>
          <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
        </QueryProvider>
      </body>
    </html>
  );
}
