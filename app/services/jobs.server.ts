// The app's background jobs, started once per server process by server/index.ts (through the
// build's entry module, so they share the app's database writer and write lock). Each returns the
// function that stops it; the server calls the returned stop on shutdown.
import { startNotifications } from "./notify/start.server";

export function startBackgroundJobs(): () => void {
  const stops = [startNotifications()];
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
