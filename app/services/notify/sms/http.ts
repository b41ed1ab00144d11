// The HTTP exchange both SMS providers' channels share: send the signed request with a timeout,
// read the answer, and let the provider's reader judge it. No answer at all (unreachable, reset,
// timed out) is tried again: the message may or may not have gone, and its stable id (Aliyun's
// OutId, Tencent's SessionContext) lets a resend be recognised in the delivery reports.
import type { SendResult } from "../channel";

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function exchange(
  provider: string,
  request: HttpRequest,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  parse: (status: number, bodyText: string) => SendResult,
): Promise<SendResult> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { ok: false, retry: true, error: `${provider}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parse(response.status, text);
}
