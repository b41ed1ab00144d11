// The app's background jobs, started once per server process by server/index.ts (through the
// build's entry module, so they share the app's database writer and write lock). Each returns the
// function that stops it (a promise when it has a round to finish); the server awaits the returned
// stop on shutdown.
import { shareAddressSalt } from "#app/lib/address-salt.server";
import { startScheduledBackups } from "./backup/schedule.server";
import { startNotifications } from "./notify/start.server";
import { startRetentionJob } from "./retention.server";

export function startBackgroundJobs(): () => Promise<void> {
  // With several app processes on PostgreSQL: one address salt a day for all of them.
  shareAddressSalt();
  const stops: (() => void | Promise<void>)[] = [startNotifications(), startScheduledBackups(), startRetentionJob()];
  // Stopping waits for the rounds under way (a message being sent, a backup being written, a retention batch).
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
