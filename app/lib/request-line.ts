// Checks on the request line and Host header, made by the HTTP server (server/index.ts) before
// React Router sees a request. React Router treats any method other than GET and HEAD as a form
// post (a PUT or DELETE would run an action and store data) and builds the request's URL from
// the Host header (a missing or malformed one makes that throw: a 500). Both are the client's
// mistakes: 405 with Allow, and 400.

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(", ");

const LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(\\d{1,5}))?$`);

/** A Host (or X-Forwarded-Host) value: a DNS name, IPv4 or bracketed IPv6 address, and an optional port. */
export function isValidHost(value: string | null | undefined): boolean {
  if (!value || value.length > 260) return false;
  const match = HOST.exec(value);
  if (!match) return false;
  if (match[1] !== undefined && Number(match[1]) > 65535) return false;
  try {
    return new URL(`http://${value}/`).pathname === "/";
  } catch {
    return false;
  }
}

export type RequestLineProblem = { status: 400 } | { status: 405; allow: string };

/**
 * What is wrong with a request before any application code runs, or null. `target` is the
 * request target as sent (origin form, "/path?query"); `forwardedHost` is given only when the
 * proxy is trusted.
 */
export function requestLineProblem(req: { method: string; host: string | undefined; forwardedHost?: string; target: string }): RequestLineProblem | null {
  if (!isValidHost(req.host)) return { status: 400 };
  if (req.forwardedHost !== undefined && !isValidHost(req.forwardedHost)) return { status: 400 };
  if (!(ALLOWED_METHODS as readonly string[]).includes(req.method)) return { status: 405, allow: ALLOW_HEADER };
  // Only the origin form ("/path"): absolute ("http://…") and asterisk ("*") forms are not for us.
  if (!req.target.startsWith("/")) return { status: 400 };
  try {
    new URL(`http://${req.forwardedHost ?? req.host}${req.target}`);
  } catch {
    return { status: 400 };
  }
  return null;
}
