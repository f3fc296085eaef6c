import type { Metadata } from "next";
import { EventsPage } from "@/components/watch/events-page";

export const metadata: Metadata = { title: "Feed" };

export default function Page() {
  return <EventsPage />;
}
