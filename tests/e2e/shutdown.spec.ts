// Restarts without loss (issue 15): SIGTERM in the middle of a burst of survey submissions. Every
// submission the server answered 303 ("stored, thank you") is in the database after it exits;
// no request is cut off (reset, hang-up) while the server still listens; the process exits 0 on
// its own, well within SHUTDOWN_TIMEOUT_SECONDS. Requests after the listener closed are refused
// (a proxy would send them to another server), which is the expected answer then.
import http from "node:http";
import Database from "better-sqlite3";
import { expect, startServer, test } from "./support/fixtures";
import { REQUIRED_KEYS } from "./support/survey";

interface Form {
  cookie: string;
  submissionId: string;
  body: string;
}

interface Outcome {
  submissionId: string;
  status?: number;
  error?: string;
  at: number;
}

const UNITS = ["C01", "C02", "C03", "C04", "C05", "D01", "D02", "D03"];

test("SIGTERM during a burst of submissions: every 303 is stored, no connection is cut while listening, exit 0", async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  const server = await startServer(`shutdown-${testInfo.parallelIndex}`, { SHUTDOWN_TIMEOUT_SECONDS: "20" });
  const { port } = new URL(server.url);

  // The forms of 1,200 citizens, each opened on its own phone (its own device cookie and start
  // token): enough for the burst to outlast the server's half-second drain.
  const forms: Form[] = [];
  const open = async (i: number) => {
    const unit = UNITS[i % UNITS.length]!;
    const page = await fetch(`${server.url}/s/satisfaction-2026?unit=${unit}&lng=en`);
    const html = await page.text();
    const cookie = page.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
    const submissionId = field("submissionId");
    const body = new URLSearchParams({
      started: field("started"),
      submissionId,
      website: "",
      ...Object.fromEntries(REQUIRED_KEYS.map((k, j) => [`q_${k}`, String(((i + j) % 5) + 1)])),
    }).toString();
    forms.push({ cookie, submissionId, body: `${body}&unit=${unit}` });
  };
  for (let i = 0; i < 1200; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => open(i + j)));

  // Kept-alive connections, as a proxy or a phone keeps them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
  const outcomes: Outcome[] = [];
  const post = (form: Form, unit: string) =>
    new Promise<Outcome>((resolve) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          agent,
          method: "POST",
          path: `/s/satisfaction-2026?unit=${unit}&lng=en`,
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ submissionId: form.submissionId, status: res.statusCode, at: Date.now() }));
        },
      );
      req.on("error", (e: NodeJS.ErrnoException) => resolve({ submissionId: form.submissionId, error: e.code ?? e.message, at: Date.now() }));
      req.end(form.body.replace(/&unit=.*$/, ""));
    });

  let next = 0;
  let terminated: Promise<number | null> | undefined;
  let signalledAt = 0;
  let readyWhileDraining: Promise<{ status: number; body: string }> | undefined;
  const worker = async () => {
    while (next < forms.length) {
      const form = forms[next++]!;
      const unit = /&unit=(.*)$/.exec(form.body)![1]!;
      const outcome = await post(form, unit);
      outcomes.push(outcome);
      // The signal comes once a third of the citizens were answered, with the burst still going.
      if (!terminated && outcomes.length >= 100) {
        signalledAt = Date.now();
        terminated = server.terminate();
        // While it drains, the readiness check tells a load balancer to send new work elsewhere.
        readyWhileDraining = new Promise((r) => setTimeout(r, 150)).then(() =>
          fetch(`${server.url}/readyz`).then(async (res) => ({ status: res.status, body: await res.text() })),
        );
      }
      if (outcome.error === "ECONNREFUSED") break; // the listener is closed: this client stops
    }
  };
  try {
    await Promise.all(Array.from({ length: 12 }, worker));
  } finally {
    // Never leave the server running when the burst failed.
    terminated ??= server.terminate();
  }
  const exitCode = await terminated;
  agent.destroy();

  // It stopped on its own, in time, saying so.
  expect(exitCode).toBe(0);
  expect(await readyWhileDraining).toEqual({ status: 503, body: JSON.stringify({ ok: false, problems: ["shutting down"] }) });
  const log = server
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { event?: string; time: string; ms?: number });
  const closed = log.find((l) => l.event === "listener_closed");
  const done = log.find((l) => l.event === "shutdown_done");
  expect(closed, "the server logs when its listener closed").toBeDefined();
  expect(done?.ms).toBeLessThan(20_000);
  const closedAt = Date.parse(closed!.time);

  const accepted = outcomes.filter((o) => o.status === 303);
  const answeredAfterSignal = accepted.filter((o) => o.at > signalledAt);
  const refused = outcomes.filter((o) => o.error === "ECONNREFUSED");
  const cut = outcomes.filter((o) => o.error && o.error !== "ECONNREFUSED");
  testInfo.annotations.push({
    type: "figures",
    description: `${accepted.length} accepted (${answeredAfterSignal.length} after the signal), ${refused.length} refused after the close, ${cut.length} cut at the close; stopped in ${done!.ms} ms`,
  });
  // The burst really was under way: answers came after the signal, and later ones were refused.
  expect(accepted.length).toBeGreaterThanOrEqual(100);
  expect(answeredAfterSignal.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  expect(outcomes.filter((o) => o.status !== undefined && o.status !== 303)).toEqual([]);
  // No connection was cut while the server still listened (a reset right at the close, on a
  // connection that had sent nothing yet, is what any server does then: nothing was accepted).
  expect(cut.filter((o) => o.at < closedAt)).toEqual([]);

  // Every 303 is stored.
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const stored = new Set(
      (db.prepare("SELECT submissionId FROM Response WHERE submissionId IS NOT NULL").all() as { submissionId: string }[]).map((r) => r.submissionId),
    );
    expect(accepted.filter((o) => !stored.has(o.submissionId))).toEqual([]);
    // …and nothing refused was stored behind the citizen's back.
    expect(refused.filter((o) => stored.has(o.submissionId))).toEqual([]);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  } finally {
    db.close();
  }
});
