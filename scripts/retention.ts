// Personal data retention by hand (issue 15; docs/operations.md "Personal data retention"):
//   npm run retention -- --dry-run   counts what is due now, per kind, and changes nothing
//   npm run retention -- --apply     erases it (batches under the write lock; one audit event per kind)
// Safe while the app serves: the app's own daily job does the same, and both skip what is done.
import { parseArgs } from "node:util";
import { formatCounts, retentionPass, retentionSettings } from "../app/services/retention.server";

const usage = "usage: npm run retention -- --dry-run | --apply";
let values: { "dry-run"?: boolean; apply?: boolean };
try {
  ({ values } = parseArgs({ options: { "dry-run": { type: "boolean" }, apply: { type: "boolean" } } }));
} catch {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
if (Boolean(values["dry-run"]) === Boolean(values.apply)) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
const settings = retentionSettings();
const report = await retentionPass({ apply: Boolean(values.apply), settings, trigger: "command" });
process.stdout.write(
  [
    report.apply ? "Erased (apply):" : "Due now (dry run, nothing changed):",
    formatCounts(report.counts),
    `settings: contacts ${settings.contactMonths} months, photos ${settings.photoMonths} months, network hashes ${settings.networkMonths} months after closing; API calls ${settings.apiCallDays} days; notification addresses ${settings.notificationDays} days`,
    "",
  ].join("\n"),
);
process.exit(0);
