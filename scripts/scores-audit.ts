// Recomputes a period's figures from the raw responses and compares them with the live tallies:
//   npm run scores:audit -- [--period 2026] [--rebuild]
// --rebuild replaces the tallies by the recomputation (after a bulk import that bypassed the app).
import { parseArgs } from "node:util";
import { rebuildTallies } from "../app/models/score-tally.server";
import { getPeriod, listPeriods } from "../app/models/period.server";
import { auditPeriod } from "../app/services/scores.server";

const { values } = parseArgs({ options: { period: { type: "string" }, rebuild: { type: "boolean", default: false } } });
const periods = values.period ? [await getPeriod(values.period)] : await listPeriods();
let failed = false;
for (const period of periods) {
  if (!period) {
    console.error(`no period ${values.period}`);
    process.exit(2);
  }
  if (values.rebuild) await rebuildTallies(period.id);
  const result = await auditPeriod(period);
  failed ||= !result.equal;
  console.log(
    `period ${period.code}: ${result.responses} responses, ${result.equal ? "live figures equal the recomputation" : `DIFFERENCES: ${result.tallyDifferences} tally rows, units ${result.differing.join(", ")}`} (${Math.round(result.ms)} ms)`,
  );
}
process.exit(failed ? 1 : 0);
