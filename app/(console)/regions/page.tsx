import type { Metadata } from "next";
import { RegionsPage } from "@/components/settings/regions-page";

export const metadata: Metadata = { title: "Regions" };

export default function Page() {
  return <RegionsPage />;
}
