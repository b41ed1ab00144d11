// Every request, seen once (docs/operations.md, "Monitoring"; docs/decisions/0023): it gets a
// request id (returned in X-Request-Id, and passed to the app in the same request header), and
// when its answer is done, one JSON line in the log and one observation in the request histogram,
// both under the route's pattern.
//
// The log line holds the id, method, route pattern, status, duration and bytes sent: never the
// path (complaint references), the query string (signed links carry tokens), the client address,
// headers or bodies. It runs first in the server, before the survey page's fast path, and costs a
// few microseconds: no database, no per-request allocation beyond the line itself.
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { infoLineWriter, logFor } from "../app/lib/log.server";
import { observeHttpRequest } from "../app/lib/metrics.server";
import { type LabelRoute, methodLabel, routeLabeler, UNMATCHED_LABEL } from "../app/lib/route-label";

/** A request id the client (or the proxy in front) may choose: short, and safe to put in a log line. */
const ACCEPTED_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The incoming X-Request-Id when it is acceptable, else a fresh random one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && ACCEPTED_ID.test(incoming) ? incoming : randomUUID();
}

/** The path part of a request target (`/s/x?unit=C01` → `/s/x`), without parsing the query. */
export function pathOf(target: string): string {
  const q = target.indexOf("?");
  return q < 0 ? target : target.slice(0, q);
}

/**
 * The label of a finished request: its route pattern; a file the server found (a static file
 * outside /assets, matched by no route but answered) is `static`, everything else unmatched.
 */
export function finishedLabel(label: string, status: number): string {
  return label === UNMATCHED_LABEL && status < 400 ? "static" : label;
}

/** Express middleware; `routes` gives the build's route manifest once it is loaded (undefined before). */
export function observeRequests(routes: () => Record<string, LabelRoute> | undefined) {
  const log = logFor("http");
  const writeInfo = infoLineWriter("http", "request");
  let labeler: ((pathname: string) => string) | undefined;
  let labelerFor: Record<string, LabelRoute> | undefined;
  const labelOf = (pathname: string) => {
    const manifest = routes();
    if (!manifest) return UNMATCHED_LABEL;
    if (manifest !== labelerFor) {
      labeler = routeLabeler(manifest);
      labelerFor = manifest;
    }
    return labeler!(pathname);
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const id = requestIdFor(req.headers["x-request-id"]);
    // The app reads the same id (its error log lines carry it); never what the client sent, unless acceptable.
    req.headers["x-request-id"] = id;
    res.setHeader("X-Request-Id", id);
    // req.url before any mount point rewrites it.
    const pathname = pathOf(req.url);
    const socket = req.socket;
    const bytesBefore = socket.bytesWritten;
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Closed before the answer was complete: the client went away (nginx's 499).
      const status = res.writableFinished ? res.statusCode : 499;
      const method = methodLabel(req.method);
      const route = finishedLabel(labelOf(pathname), status);
      observeHttpRequest(method, route, status, seconds);
      const ms = Math.round(seconds * 1e5) / 100;
      const bytes = socket.bytesWritten - bytesBefore;
      if (status >= 500) log.error({ reqId: id, method, route, status, ms, bytes }, "request");
      // The id is a UUID or matched ACCEPTED_ID, the method and route come from fixed sets: only
      // the route is quoted through JSON, to be safe.
      else writeInfo?.(`"reqId":"${id}","method":"${method}","route":${JSON.stringify(route)},"status":${status},"ms":${ms},"bytes":${bytes}`);
    });
    next();
  };
}
