// Aliyun SMS (阿里云短信服务), SendSms of API version 2017-05-25, as an RPC-style request signed with
// HMAC-SHA1 (signature version 1.0). Sources, checked for this adapter:
//  - SendSms (help.aliyun.com/document_detail/55284): PhoneNumbers, SignName, TemplateCode,
//    TemplateParam (a JSON string of the template's named variables), OutId (the caller's own
//    reference, echoed in delivery reports as out_id; we put the message's stable id there);
//    success is {"Code":"OK","Message":"OK","BizId":"…","RequestId":"…"}.
//  - The signature ("HTTP协议及签名", document_detail/56189, and the RPC 签名机制 page):
//    StringToSign = METHOD & percent("/") & percent(sorted "k=v" pairs joined by "&"), where
//    percent() is RFC 3986 (space → %20, "*" → %2A, "~" kept); Signature = base64(HMAC-SHA1(
//    AccessKeySecret + "&", StringToSign)). Its worked example (testId/testSecret, nonce
//    45e25e9b-…, 2017-07-12T02:42:19Z) gives zJDF+Lrzhj/ThnlvIToysFRq6t4=; the unit test checks it.
//  - Error codes (API错误码, document_detail/101346): isv.* are the caller's errors, isp.* the
//    platform's. isv.BUSINESS_LIMIT_CONTROL is throttling (per number: 1/min, 5/h … for codes, 50 a
//    day per template for notices), isv.MOBILE_NUMBER_ILLEGAL an unusable number.
// RPC accepts GET and POST; we POST the parameters as a form so that message contents and the
// signature stay out of URLs (proxy logs). The signature covers the method, so it is "POST&…".
import { createHmac } from "node:crypto";
import type { Channel, OutgoingMessage, SendResult } from "../channel";
import type { AliyunSmsConfig } from "./config";
import { exchange, type HttpRequest } from "./http";
import { aliyunPhoneNumber } from "./phone";

export type { HttpRequest } from "./http";

/** RFC 3986 percent-encoding as Aliyun's POP signature wants it. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name (byte order), encoded and joined: the canonical query string. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join("&");
}

export function rpcSignature(method: string, params: Record<string, string>, secret: string): string {
  const stringToSign = `${method}&${percentEncode("/")}&${percentEncode(canonicalQuery(params))}`;
  return createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

/** ISO 8601 in UTC without milliseconds, as the Timestamp parameter wants (2017-07-12T02:42:19Z). */
export function rpcTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The signed SendSms request for one message. `nonce` must differ on every call (SignatureNonce
 * guards against replay: a reused one is refused as SignatureNonceUsed). The message must carry a
 * template and a usable phone number (the channel checks both first).
 */
export function buildRequest(message: OutgoingMessage, config: AliyunSmsConfig, now: Date, nonce: string): HttpRequest {
  if (!message.template) throw new Error("Aliyun SendSms needs an approved template");
  const phone = aliyunPhoneNumber(message.to);
  if (!phone) throw new Error("not a usable phone number");
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: "SendSms",
    Format: "JSON",
    OutId: message.messageId,
    PhoneNumbers: phone,
    RegionId: config.regionId,
    SignName: config.signName,
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: nonce,
    SignatureVersion: "1.0",
    TemplateCode: message.template.id,
    Timestamp: rpcTimestamp(now),
    Version: "2017-05-25",
  };
  if (Object.keys(message.template.params).length > 0) {
    params.TemplateParam = JSON.stringify(message.template.params);
  }
  const signature = rpcSignature("POST", params, config.accessKeySecret);
  return {
    method: "POST",
    url: config.endpoint,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: `Signature=${percentEncode(signature)}&${canonicalQuery(params)}`,
  };
}

// Codes worth another attempt later: throttling, quotas that reset, the platform's own trouble, a
// nonce that collided. Balance problems too: the office tops up and the citizen still gets the news.
const RETRY_CODES = new Set([
  "isv.BUSINESS_LIMIT_CONTROL",
  "isv.DAY_LIMIT_CONTROL",
  "isv.MONTH_LIMIT_CONTROL",
  "isv.OUT_OF_SERVICE",
  "isv.AMOUNT_NOT_ENOUGH",
  "Throttling",
  "Throttling.User",
  "Throttling.Api",
  "ServiceUnavailable",
  "InternalError",
  "SignatureNonceUsed",
]);

function retryable(code: string, status: number): boolean {
  if (RETRY_CODES.has(code)) return true;
  // isp.* is the platform's side, except a missing RAM permission (ours to fix).
  if (code.startsWith("isp.")) return code !== "isp.RAM_PERMISSION_DENY";
  // isv.* and the gateway's 4xx codes (SignatureDoesNotMatch, InvalidAccessKeyId.NotFound, a bad
  // template or number) will fail the same way every time.
  if (code.startsWith("isv.")) return false;
  return status >= 500;
}

interface AliyunBody {
  Code?: unknown;
  Message?: unknown;
  BizId?: unknown;
}

/** What a SendSms response means for the outbox. */
export function parseResponse(status: number, bodyText: string): SendResult {
  let body: AliyunBody | null = null;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object") body = parsed as AliyunBody;
  } catch {
    // Not JSON: a proxy's or gateway's page.
  }
  if (!body || typeof body.Code !== "string") {
    const retry = status >= 500 || status === 408 || status === 429 || status < 400;
    return { ok: false, retry, error: `aliyun: HTTP ${status}, unexpected body: ${bodyText.slice(0, 200)}` };
  }
  if (body.Code === "OK" && status < 400) {
    return { ok: true, providerId: typeof body.BizId === "string" && body.BizId ? body.BizId : null };
  }
  const message = typeof body.Message === "string" ? body.Message : "";
  return { ok: false, retry: retryable(body.Code, status), error: `aliyun: ${body.Code}: ${message}`.trim() };
}

export interface ChannelOptions {
  /** Abort a request after this long (the docs advise at least 1 s); default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
  nonce?: () => string;
}

export function createAliyunChannel(
  config: AliyunSmsConfig,
  fetchImpl: typeof fetch = fetch,
  options: ChannelOptions = {},
): Channel & { provider: "aliyun" } {
  const { timeoutMs = 10_000, now = () => new Date(), nonce = () => crypto.randomUUID() } = options;
  return {
    name: "sms",
    provider: "aliyun",
    async send(message) {
      if (!message.template) return { ok: false, retry: false, error: "aliyun: no approved template for this message" };
      if (!aliyunPhoneNumber(message.to)) return { ok: false, retry: false, error: "aliyun: not a usable phone number" };
      return exchange("aliyun", buildRequest(message, config, now(), nonce()), fetchImpl, timeoutMs, parseResponse);
    },
  };
}
