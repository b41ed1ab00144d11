// Runs the audit's recomputation from raw responses in a worker thread, so a server that is asked
// for an audit keeps answering citizens meanwhile (the recomputation reads every answer of the
// period, seconds of synchronous work at a million responses). Started by talliesForAuditOffThread.
import { parentPort, workerData } from "node:worker_threads";
import { talliesForAudit } from "#app/models/score-tally.server";

parentPort!.postMessage(talliesForAudit((workerData as { periodId: number }).periodId));
