// The route a request is counted under in the metrics and the request log: the route pattern of
// app/routes.ts that answers it (`/s/:slug`, `/staff/cases/:reference`), never the path itself.
// Paths carry complaint references, unit codes and whatever a client invents; patterns are a fixed
// set, so the metrics stay small and the log says nothing about whom a request was about.
import { matchRoutes, type RouteObject } from "react-router";
import { pagePath } from "./page-url";

/** A route of the server build's manifest (`build.routes`): only what the label needs. */
export interface LabelRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

/** Hashed files the server serves itself (build/client/assets). */
export const ASSETS_LABEL = "/assets";
/** No route of the app but the catch-all 404 matches. */
export const UNMATCHED_LABEL = "unmatched";

/** Paths longer than this are labelled without being remembered (a client may send paths of up to 16 KB). */
export const MAX_REMEMBERED_PATH = 256;

/**
 * A function from a request path (without the query) to its label: the pattern of the deepest
 * route that matches, as React Router chooses it; `<pattern>.data` for the data requests the
 * browser's scripts make for a page; `/assets` for hashed files; `unmatched` for everything the
 * catch-all route (`*`) or nothing matches. `known` (given by tests) is where the labels of paths
 * already seen are remembered: at most 5000 paths of at most MAX_REMEMBERED_PATH characters.
 */
export function routeLabeler(manifest: Record<string, LabelRoute>, known = new Map<string, string>()): (pathname: string) => string {
  const all = Object.values(manifest);
  const patternOf = new Map<string, string>();
  const childrenOf = (parentId: string | undefined, prefix: string): RouteObject[] =>
    all
      .filter((r) => r.parentId === parentId)
      .map((r) => {
        const here = r.path ? `${prefix.replace(/\/$/, "")}/${r.path}` : prefix;
        // The catch-all answers every unknown address: counted together, not under its own pattern.
        patternOf.set(r.id, r.path?.includes("*") ? UNMATCHED_LABEL : here || "/");
        return { id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: r.index ? undefined : childrenOf(r.id, here) } as RouteObject;
      });
  const routes = childrenOf(undefined, "");
  // matchRoutes ranks and compiles every pattern on each call: remember the answer per path.
  // Bounded: arbitrary paths from clients must not grow it without limit, in count or in bytes
  // (5000 random 16 KB paths would otherwise pin some 80 MB until the next clear).
  return (pathname) => {
    if (pathname.length > MAX_REMEMBERED_PATH) return labelOf(pathname);
    let label = known.get(pathname);
    if (label === undefined) {
      label = labelOf(pathname);
      if (known.size >= 5000) known.clear();
      known.set(pathname, label);
    }
    return label;
  };

  function labelOf(pathname: string): string {
    if (pathname === ASSETS_LABEL || pathname.startsWith(`${ASSETS_LABEL}/`)) return ASSETS_LABEL;
    const page = pagePath(pathname);
    // A path that does not decode matches nothing (React Router would say so on the console).
    try {
      decodeURIComponent(page);
    } catch {
      return UNMATCHED_LABEL;
    }
    const last = matchRoutes(routes, page)?.at(-1);
    const label = last ? (patternOf.get(last.route.id!) ?? UNMATCHED_LABEL) : UNMATCHED_LABEL;
    if (label === UNMATCHED_LABEL || page === pathname) return label;
    return label === "/" ? "/_.data" : `${label}.data`;
  }
}

/** The request method as a label: the three the server answers, anything else as OTHER (a 405). */
export function methodLabel(method: string): "GET" | "HEAD" | "POST" | "OTHER" {
  return method === "GET" || method === "HEAD" || method === "POST" ? method : "OTHER";
}
