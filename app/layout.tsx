import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppProviders } from "@/components/providers/app-providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bedrock Region Certification", template: "%s · Bedrock Region Certification" },
  description: "Certifies Amazon Bedrock foundation models Region by Region.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The script nonce proxy.ts made for this request (docs/auth.md, "Content security policy").
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // next-themes sets the theme class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen">
        <AppProviders nonce={nonce}>{children}</AppProviders>
      </body>
    </html>
  );
}
