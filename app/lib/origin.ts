// Cross-site form posts are refused. Browsers send Origin on every POST (and Sec-Fetch-Site on
// modern ones); a request from another origin (scheme, host or port), or from an opaque "null"
// origin, is refused.
// Requests with neither header are not from a browser form and cannot ride on a citizen's
// cookies, so they are allowed (the benchmark and API clients send none).

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteRequest(req: {
  method: string;
  url: string;
  origin: string | null;
  secFetchSite: string | null;
}): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (req.secFetchSite && req.secFetchSite !== "same-origin" && req.secFetchSite !== "none") {
    return true;
  }
  if (req.origin === null) return false;
  if (req.origin === "null") return true;
  // The whole origin: scheme, host and port. A page served over plain http (a network attacker's
  // injected page, or a downgraded one) is another origin than the https site, even on the same host.
  try {
    const origin = new URL(req.origin);
    if (origin.origin === "null") return true;
    return origin.origin !== new URL(req.url).origin;
  } catch {
    return true;
  }
}

/** Set by our own server (server/index.ts) on a request it found to be cross-site. */
export const CROSS_SITE_MARKER = "x-civic-cross-site";
