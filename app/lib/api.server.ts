// The scores API's envelope: bearer-token check, JSON errors, a log entry for every call (refused
// floods limited), nosniff and no caching on every answer.
import { checkBearer, logApiCall } from "#app/models/api-token.server";
import { clientAddress } from "./http.server";
import { logFor } from "./log.server";
import { networkKey, recordApiRefusal } from "./rate-limit.server";
import { hashAddress } from "./signing.server";

const messages = {
  missing_token: "Send a bearer token: Authorization: Bearer <token>.",
  invalid_token: "The bearer token is not valid.",
  revoked_token: "The bearer token has been revoked.",
  not_found: "No such period.",
  bad_request: "The request is not valid.",
  too_many_requests: "Too many calls with a refused token from your network. Wait for the time in Retry-After.",
} as const;
export type ApiErrorCode = keyof typeof messages;

export function apiError(code: ApiErrorCode, status: number, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message: messages[code] } }, { status, headers });
}

/**
 * Runs an authenticated API handler; every call, refused or not, is logged with its status, except
 * a flood of refused ones: past API_REFUSED_PER_MINUTE refused calls a minute from one network the
 * answer is 429, logged once for the flood (rate-limit.server.ts), so bogus tokens cannot grow the
 * call log without bound. Old log rows are deleted by logApiCall (API_CALL_RETENTION_DAYS).
 */
export async function withApiToken(request: Request, handler: () => Promise<Response>): Promise<Response> {
  const check = await checkBearer(request.headers.get("authorization"));
  let response: Response;
  let log = true;
  if (!check.ok) {
    const refusal = await recordApiRefusal(networkKey(request));
    if (refusal.limited) {
      response = apiError("too_many_requests", 429, { "Retry-After": String(refusal.retryAfter) });
      log = refusal.log;
    } else {
      response = apiError(check.code, 401, { "WWW-Authenticate": `Bearer error="${check.code === "missing_token" ? "invalid_request" : "invalid_token"}"` });
    }
  } else {
    try {
      response = await handler();
    } catch (error) {
      if (error instanceof Response) response = error;
      else {
        logFor("api").error({ err: error, reqId: request.headers.get("x-request-id") }, "API handler failed");
        response = Response.json({ error: { code: "server_error", message: "Something went wrong on our side." } }, { status: 500 });
      }
    }
  }
  if (log) {
    const url = new URL(request.url);
    await logApiCall({
      tokenId: check.tokenId,
      method: request.method,
      path: url.pathname + url.search,
      status: response.status,
      ipHash: hashAddress(clientAddress(request)),
    });
  }
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}
