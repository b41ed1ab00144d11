// Production HTTP server: Express in front of the React Router build. It validates the
// configuration before listening, serves hashed assets with long caching, compresses
// responses, and stamps each request with the client address (for the keyed address hash),
// overwriting anything the client sent in that header.
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { getEnv } from "../app/lib/env.server";
import { bodyLimitFor } from "../app/lib/http.server";
import { CROSS_SITE_MARKER, isCrossSiteRequest } from "../app/lib/origin";
import { requestLineProblem } from "../app/lib/request-line";
import { log } from "../app/lib/log.server";
import { ACTIONLESS_ALLOW, postTargets } from "../app/lib/route-actions";
import { observeRequests } from "./observe";
import { installShutdown, type ShutdownState } from "./shutdown";

const env = getEnv();
const root = process.cwd();
const buildDir = path.join(root, "build");

const app = express();
app.disable("x-powered-by");
// First: every request gets an id, one log line and one histogram observation under its route
// pattern, the survey page's fast path included (server/observe.ts); the routes come with the
// build, loaded below.
app.use(observeRequests(() => build?.routes));
// Once a shutdown has begun, every answer closes its connection (server/shutdown.ts).
let shutdown: ShutdownState | undefined;
app.use((_req, res, next) => {
  if (shutdown?.closing) res.setHeader("Connection", "close");
  next();
});
// Trust exactly one proxy hop: the address it puts last in X-Forwarded-For. `true` would believe
// whatever the client itself sent there.
app.set("trust proxy", env.TRUST_PROXY === "1" ? 1 : false);

// Before anything else reads the request: a missing or malformed Host (React Router cannot build
// the URL: it would be a 500) is a 400, and a method other than GET, HEAD or POST (React Router
// would run a form action for PUT, PATCH or DELETE) is a 405 naming the allowed ones. Small
// plain-text answers: nothing about the server's insides.
app.use((req, res, next) => {
  const problem = requestLineProblem({
    method: req.method,
    host: req.headers.host,
    forwardedHost: env.TRUST_PROXY === "1" ? req.get("x-forwarded-host") : undefined,
    target: req.url,
  });
  if (!problem) return next();
  if (problem.status === 405) res.setHeader("Allow", problem.allow);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.status(problem.status).type("text/plain").send(problem.status === 405 ? "405 Method Not Allowed\n" : "400 Bad Request\n");
});

const build = await import(path.join(buildDir, "server/index.js"));

// The survey page's common case, answered from the page the app keeps (already compressed in its
// fixed parts) before Express compresses or React Router runs: the page citizens open most, on
// the slowest networks (app/services/survey-page.server.ts; docs/decisions/0015). Anything else,
// or a page not kept yet, goes on to the app below.
const fastSurveyPage = build.entry.module.fastSurveyPage as
  | ((input: { url: string; cookie?: string; acceptLanguage?: string; acceptsGzip: boolean }) => Promise<{ headers: Record<string, string>; body: Buffer | string } | null>)
  | undefined;
app.get("/s/:slug", (req, res, next) => {
  if (!fastSurveyPage || req.method !== "GET") return next();
  fastSurveyPage({
    url: `${req.protocol}://${(env.TRUST_PROXY === "1" && req.get("x-forwarded-host")) || req.get("host")}${req.originalUrl}`,
    cookie: req.headers.cookie,
    acceptLanguage: req.headers["accept-language"],
    acceptsGzip: /\bgzip\b/.test(req.headers["accept-encoding"] ?? ""),
  }).then((page) => {
    if (!page) return next();
    res.writeHead(200, { ...page.headers, "Content-Length": String(Buffer.byteLength(page.body)) });
    res.end(page.body);
  }, next);
});

app.use(compression());
// compression gives responses a flush(), and React Router calls it after every chunk it writes:
// on large pages (the score dashboard) that flushes gzip dozens of times per response, costs
// ratio, and queues a "drain" listener per flush while the socket is busy. Pages here are not
// streamed in parts the user waits for, so gzip may fill its buffers and finish at the end.
app.use((_req, res, next) => {
  (res as { flush?: unknown }).flush = undefined;
  next();
});

// Files are never sniffed into another type; the app's own answers get the same header from its
// middleware (app/lib/http.server.ts).
const nosniff = (res: express.Response) => res.setHeader("X-Content-Type-Options", "nosniff");
app.use(
  "/assets",
  express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y", index: false, setHeaders: nosniff }),
);
app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h", index: false, setHeaders: nosniff }));

// Behind a proxy without TRUST_PROXY=1 every citizen seems to come from the proxy's address, and
// the burst check (docs/decisions/0010) flags most responses: say so once in the log.
let proxyWarned = false;

app.use((req, _res, next) => {
  req.headers["x-civic-client-address"] = req.ip ?? req.socket.remoteAddress ?? "";
  if (!proxyWarned && env.TRUST_PROXY !== "1" && req.headers["x-forwarded-for"]) {
    proxyWarned = true;
    log.warn("Requests carry X-Forwarded-For but TRUST_PROXY is not 1: behind a reverse proxy, set TRUST_PROXY=1, or every citizen counts as one network.");
  }
  // React Router answers a cross-origin post with a bare, untranslated 400 before any app code
  // runs. Mark the request instead and drop its Origin, so the app's middleware refuses it with
  // the translated 403 page (app/lib/http.server.ts). The marker is always set here, never
  // taken from the client.
  const crossSite = isCrossSiteRequest({
    method: req.method,
    url: `${req.protocol}://${(env.TRUST_PROXY === "1" && req.get("x-forwarded-host")) || req.get("host")}${req.originalUrl}`,
    origin: req.get("origin") ?? null,
    secFetchSite: req.get("sec-fetch-site") ?? null,
  });
  delete req.headers[CROSS_SITE_MARKER];
  if (crossSite) {
    req.headers[CROSS_SITE_MARKER] = "1";
    delete req.headers.origin;
  }
  next();
});

// A body declared over its limit is refused with the translated 413 page (app/lib/http.server.ts).
// Answering while the client is still sending would close the socket with unread bytes in it,
// and the reset that follows can wipe the answer before the client reads it: so the body is read
// and dropped first, up to 16 times the limit (as readForm does); past that, the client may see a
// hang-up.
app.use((req, _res, next) => {
  const declared = Number(req.headers["content-length"] ?? 0);
  const limit = bodyLimitFor(req.path);
  if (!(declared > limit) || declared > limit * 16) return next();
  req.on("end", () => next());
  req.resume();
});

// A post to a page or file that takes none is a 405 naming GET and HEAD, answered here: React
// Router's own answer puts its error text, which names the app's route modules, in the page.
const takesPosts = postTargets(build.routes);
app.post("/{*splat}", (req, res, next) => {
  // The URL as React Router builds it (host + target): "//x/track" is a path here, not a host.
  const { pathname, search } = new URL(`http://x${req.originalUrl}`);
  if (takesPosts(pathname, search)) return next();
  res.setHeader("Allow", ACTIONLESS_ALLOW);
  res.setHeader("Cache-Control", "no-store");
  nosniff(res);
  res.status(405).type("text/plain").send("405 Method Not Allowed\n");
});
app.all("/{*splat}", createRequestHandler({ build, mode: env.NODE_ENV }));

// Notifications leave through the outbox's dispatcher, never from inside a request (issue 13);
// scheduled backups and retention run here too (app/services/jobs.server.ts).
const stopJobs = (build.entry.module.startBackgroundJobs as () => () => Promise<void>)();

const server = app.listen(env.PORT, env.HOST, () => {
  // PORT=0 picks a free port (the end-to-end tests do); say which one.
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const everywhere = env.HOST === "0.0.0.0" || env.HOST === "::";
  const shown = everywhere ? "localhost" : env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  // The tests and scripts read the port from this line's msg.
  log.info({ event: "listening", port }, `Listening on http://${shown}:${port}${everywhere ? " (every interface: other machines can reach it)" : ""}`);
});

// SIGTERM/SIGINT: finish what is in flight, then exit (server/shutdown.ts).
shutdown = installShutdown({
  server,
  log,
  timeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  stopJobs,
  closeDatabases: build.entry.module.closeDatabases as () => Promise<void>,
});
