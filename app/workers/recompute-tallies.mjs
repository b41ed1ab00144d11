// One thread of the audit's recomputation from raw responses (see talliesForAudit in
// app/models/score-tally.server.ts): a server asked for an audit keeps answering citizens
// meanwhile, and the work is spread over the cores. Plain JavaScript that loads the TypeScript
// model through tsx, so it runs the same under the server, the scripts and the tests.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { auditSlice } = await import("../models/score-tally.server.ts");
const { periodId, range, withLive, file } = workerData;
parentPort.postMessage(await auditSlice(periodId, range, withLive, file));
