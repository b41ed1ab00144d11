// Which URLs take posts. A post to a page or file whose route has no action is the client's
// mistake: 405, naming GET and HEAD. React Router would answer it itself, with an error whose
// text ("You made a POST request to … but did not provide an `action` for route
// routes/not-found") goes into the page's data and names the app's route modules, or, for
// resource routes, "Unexpected Server Error". The HTTP server asks this first (server/index.ts).
import { matchRoutes, type RouteObject } from "react-router";
import { pagePath } from "./page-url";

/** A route of the server build's manifest (`build.routes`). */
export interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  module: { action?: unknown };
}

export const ACTIONLESS_ALLOW = "GET, HEAD";

/**
 * A test of whether a post to `pathname` + `search` reaches an action, choosing the route the
 * way React Router does: the deepest match that adds to the path (pathless layouts and index
 * routes do not), or the index route itself when the query has a bare `index`. URLs that match
 * no route are left to React Router (its 404).
 */
export function postTargets(manifest: Record<string, ManifestRoute>): (pathname: string, search: string) => boolean {
  const childrenOf = (parentId: string | undefined): RouteObject[] =>
    Object.values(manifest)
      .filter((r) => r.parentId === parentId)
      .map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: r.index ? undefined : childrenOf(r.id) }) as RouteObject);
  const routes = childrenOf(undefined);
  // matchRoutes flattens and ranks every route and compiles their patterns on each call (about a
  // sixth of a survey submission's CPU time when it ran per post): remember the answer per path.
  const known = new Map<string, boolean>();
  return (pathname, search) => {
    const nakedIndex = search.includes("index") && new URLSearchParams(search).getAll("index").some((v) => v === "");
    const key = `${nakedIndex ? "i" : "-"}${pathname}`;
    let answer = known.get(key);
    if (answer === undefined) {
      answer = takesPost(pathname, nakedIndex);
      // Bounded: arbitrary paths from clients must not grow it without limit.
      if (known.size >= 2000) known.clear();
      known.set(key, answer);
    }
    return answer;
  };

  function takesPost(pathname: string, nakedIndex: boolean): boolean {
    const matches = matchRoutes(routes, pagePath(pathname));
    if (!matches?.length) return true;
    const last = matches[matches.length - 1]!;
    const target = last.route.index && nakedIndex ? last : matches.filter((m, i) => i === 0 || (m.route.path ?? "").length > 0).at(-1)!;
    return Boolean(manifest[target.route.id!]?.module.action);
  }
}
