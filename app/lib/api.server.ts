// The scores API's envelope: bearer-token check, JSON errors, and a log entry for every call.
import { checkBearer, logApiCall } from "#app/models/api-token.server";
import { clientAddress } from "./http.server";
import { hashAddress } from "./signing.server";

const messages = {
  missing_token: "Send a bearer token: Authorization: Bearer <token>.",
  invalid_token: "The bearer token is not valid.",
  revoked_token: "The bearer token has been revoked.",
  not_found: "No such period.",
  bad_request: "The request is not valid.",
} as const;
export type ApiErrorCode = keyof typeof messages;

export function apiError(code: ApiErrorCode, status: number, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message: messages[code] } }, { status, headers });
}

/** Runs an authenticated API handler; every call, refused or not, is logged with its status. */
export async function withApiToken(request: Request, handler: () => Promise<Response>): Promise<Response> {
  const check = checkBearer(request.headers.get("authorization"));
  let response: Response;
  if (!check.ok) {
    response = apiError(check.code, 401, { "WWW-Authenticate": `Bearer error="${check.code === "missing_token" ? "invalid_request" : "invalid_token"}"` });
  } else {
    try {
      response = await handler();
    } catch (error) {
      if (error instanceof Response) response = error;
      else {
        console.error(error);
        response = Response.json({ error: { code: "server_error", message: "Something went wrong on our side." } }, { status: 500 });
      }
    }
  }
  const url = new URL(request.url);
  await logApiCall({
    tokenId: check.tokenId,
    method: request.method,
    path: url.pathname + url.search,
    status: response.status,
    ipHash: hashAddress(clientAddress(request)),
  });
  response.headers.set("Cache-Control", "no-store");
  return response;
}
