#!/usr/bin/env node
// `npm run bench:uploads`: how much worst-case photo uploads slow the citizens' survey page.
// Starts the production server on a fresh database under tmp/bench-uploads/ (or targets
// BENCH_URL), measures the survey page's latency alone, then again while UPLOADERS (8) clients
// keep filing complaints with 3 worst-case photos each: single-colour PNGs (a few KB on the wire,
// every pixel decoded) at the largest size the server accepts. Prints p50/p99 of both runs and
// what happened to the uploads. A server that refuses the largest images outright is measured
// with them too (REFUSED) and with the largest it accepts (ACCEPTED).
//   BENCH_SECONDS (default 15)        length of each run
//   BENCH_UPLOADERS (8)               parallel uploading clients
//   BENCH_PAGE_CONNECTIONS (4)        concurrent citizens loading the survey page
//   BENCH_PIXELS (49000000,40000000)  megapixel sizes of the worst-case photos, one phase each
//   BENCH_URL                         measure a running server instead of starting one
//   BENCH_BUILD=1                     build the app first (else an existing build/ is used)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { benchEnv, freePort, serverControl, sleep, stepper } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const UPLOADERS = Number(process.env.BENCH_UPLOADERS ?? 8);
const PAGE_CONNECTIONS = Number(process.env.BENCH_PAGE_CONNECTIONS ?? 4);
const PIXELS = (process.env.BENCH_PIXELS ?? "49000000,40000000").split(",").map(Number);
const PAGE = "/s/satisfaction-2026?unit=C01";
const benchDir = path.join(root, "tmp/bench-uploads");
const dbFile = path.join(benchDir, "bench.db");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const env = benchEnv(dbFile, {
  SEED_MODE: "structure",
  UPLOAD_DIR: path.join(benchDir, "uploads"),
  // Each uploader is its own citizen (X-Forwarded-For), as on a real network.
  TRUST_PROXY: "1",
});
const step = stepper(env);

/** One multipart body (a valid complaint with 3 photos of `pixels` pixels), made once and resent. */
async function uploadBody(pixels) {
  const side = Math.floor(Math.sqrt(pixels)); // never above the pixel count asked for
  const png = await sharp({ create: { width: side, height: side, channels: 3, background: "#7a5230" } }).png({ compressionLevel: 9 }).toBuffer();
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const parts = [];
  const field = (name, value) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  field("unit", "D12");
  field("type", "slow_action");
  field("description", "Benchmark complaint with three large photos of the counter.");
  field("anonymous", "yes");
  field("consent", "yes");
  for (let i = 0; i < 3; i++) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo${i}.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}`, side, pngBytes: png.length };
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** UPLOADERS clients each posting the body again as soon as the previous answer came, until stop(). */
function startUploads(url, upload) {
  let running = true;
  const statuses = {};
  const times = [];
  const loops = Array.from({ length: UPLOADERS }, async (_, i) => {
    while (running) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/complaints/new`, {
          method: "POST",
          redirect: "manual",
          body: upload.body,
          headers: { "content-type": upload.type, "x-forwarded-for": `198.51.100.${i + 1}` },
        });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      }
      times.push(performance.now() - t);
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    times.sort((a, b) => a - b);
    return { statuses, count: times.length, p50: Math.round(pct(times, 50)), p99: Math.round(pct(times, 99)) };
  };
}

/**
 * PAGE_CONNECTIONS citizens each loading the survey page again as soon as it arrived, for SECONDS.
 * A request still running at the end is waited for and counted: a starved page shows as a long
 * latency, not as a request that silently timed out.
 */
async function pageLatency(url) {
  const times = [];
  const statuses = {};
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: PAGE_CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          const res = await fetch(`${url}${PAGE}`, { headers: { "accept-encoding": "gzip" } });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        } catch {
          statuses.error = (statuses.error ?? 0) + 1;
        }
        times.push(performance.now() - t);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const ok = statuses[200] ?? 0;
  return { requests: times.length, rps: Math.round((times.length / SECONDS) * 10) / 10, p50: Math.round(pct(times, 50)), p99: Math.round(pct(times, 99)), max: Math.round(times.at(-1) ?? NaN), non2xx: times.length - ok };
}

async function main() {
  console.log(`Upload benchmark: ${SECONDS} s per run, ${UPLOADERS} uploaders × 3 photos, ${PAGE_CONNECTIONS} page connections, ${os.availableParallelism()} CPU cores shared by client and server\n`);
  let url = process.env.BENCH_URL;
  let stopServer = async () => {};
  if (!url) {
    if (process.env.BENCH_BUILD === "1" || !fs.existsSync(path.join(root, "build/app-server.js"))) step("Building the production app", "npm", ["run", "build"]);
    fs.rmSync(benchDir, { recursive: true, force: true });
    fs.mkdirSync(benchDir, { recursive: true });
    step("Creating tmp/bench-uploads/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
    step("Seeding the region's structure", bin("tsx"), ["prisma/seed.ts"]);
    const control = serverControl(env, path.join(benchDir, "server.log"));
    stopServer = control.stopServer;
    url = await control.startServer(await freePort());
    console.log(`• Server up at ${url}`);
  }
  try {
    for (let i = 0; i < 20; i++) {
      const warm = await fetch(`${url}${PAGE}`);
      if (!warm.ok) throw new Error(`GET ${PAGE}: HTTP ${warm.status}`);
      await warm.arrayBuffer();
    }
    console.log(`• GET ${PAGE} alone for ${SECONDS} s…`);
    const alone = await pageLatency(url);
    const phases = [];
    for (const pixels of PIXELS) {
      const upload = await uploadBody(pixels);
      console.log(`• GET ${PAGE} for ${SECONDS} s while ${UPLOADERS} clients upload 3 × ${upload.side}×${upload.side} PNG (${(pixels / 1e6).toFixed(0)} MP, ${(upload.pngBytes / 1024).toFixed(0)} KB each)…`);
      const stop = startUploads(url, upload);
      await sleep(500);
      const page = await pageLatency(url);
      const uploads = await stop();
      phases.push({ megapixels: pixels / 1e6, page, uploads });
      await sleep(2000);
    }
    console.log("\nResults (survey page latency; uploads: answers by status, time per upload)");
    const row = (label, p) => console.log(`  ${label.padEnd(34)} p50 ${String(p.p50).padStart(5)} ms   p99 ${String(p.p99).padStart(5)} ms   max ${String(p.max).padStart(5)} ms   ${p.requests} pages (${p.rps}/s)   non-200 ${p.non2xx}`);
    row("survey page alone", alone);
    for (const ph of phases) {
      row(`with ${UPLOADERS} uploads of ${ph.megapixels.toFixed(0)} MP photos`, ph.page);
      console.log(`  ${"".padEnd(34)} uploads: ${ph.uploads.count} answered ${JSON.stringify(ph.uploads.statuses)}, p50 ${ph.uploads.p50} ms, p99 ${ph.uploads.p99} ms`);
    }
    fs.mkdirSync("bench-results", { recursive: true });
    const results = { date: new Date().toISOString(), node: process.version, cpus: os.availableParallelism(), seconds: SECONDS, uploaders: UPLOADERS, pageConnections: PAGE_CONNECTIONS, alone, phases };
    fs.writeFileSync("bench-results/uploads-latest.json", JSON.stringify(results, null, 2) + "\n");
    console.log("\nFigures written to bench-results/uploads-latest.json");
  } finally {
    await stopServer();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
