// Tencent Cloud SMS (腾讯云短信), SendSms of API version 2021-01-11: a JSON POST to
// sms.tencentcloudapi.com signed with TC3-HMAC-SHA256. Sources, checked for this adapter:
//  - SendSms (cloud.tencent.com/document/api/382/55981, and the example in tencentcloud-cli's
//    sms/v20210111/examples.json): headers X-TC-Action: SendSms, X-TC-Version: 2021-01-11,
//    X-TC-Region; body {PhoneNumberSet (E.164), SmsSdkAppId, SignName, TemplateId,
//    TemplateParamSet (positional strings for {1}, {2} …), SessionContext (echoed back, < 512
//    bytes; we put the message's stable id there)}; the answer is {"Response":{"SendStatusSet":
//    [{"SerialNo","PhoneNumber","Fee","SessionContext","Code":"Ok","Message","IsoCode"}],
//    "RequestId"}}, one status per number.
//  - Signature v3 (签名方法 v3): CanonicalRequest = POST\n/\n\n + canonical headers (content-type,
//    host) + \nsigned headers\n + hex(sha256(payload)); StringToSign = TC3-HMAC-SHA256\n +
//    timestamp\n + date/service/tc3_request\n + hex(sha256(CanonicalRequest)); the key is derived as
//    HMAC-SHA256 chained over "TC3"+SecretKey → UTC date → service → "tc3_request". The unit test
//    checks the documented example (signature 72e494ea…5168).
//  - Errors (错误码, document/api/382/59177 and the common list 382/52075): a request-level failure is
//    {"Response":{"Error":{"Code","Message"},"RequestId"}}; a per-number one is a SendStatus whose
//    Code is not "Ok", e.g. LimitExceeded.PhoneNumberDailyLimit / PhoneNumberThirtySecondLimit
//    (throttling) or InvalidParameterValue.IncorrectPhoneNumber (a bad number).
import { createHash, createHmac } from "node:crypto";
import type { Channel, OutgoingMessage, SendResult } from "../channel";
import type { ChannelOptions } from "./aliyun";
import { exchange, type HttpRequest } from "./http";
import type { TencentSmsConfig } from "./config";
import { tencentPhoneNumber } from "./phone";

const CONTENT_TYPE = "application/json; charset=utf-8";

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The product: "sms" for sms.tencentcloudapi.com. */
  service: string;
  host: string;
  /** Seconds since 1970 (X-TC-Timestamp). */
  timestamp: number;
  payload: string;
  contentType?: string;
}

/** The Authorization header for a POST signed with content-type and host. */
export function tc3Authorization(input: Tc3Input): { authorization: string; signature: string } {
  const contentType = input.contentType ?? CONTENT_TYPE;
  const signedHeaders = "content-type;host";
  const canonicalRequest = [
    "POST",
    "/",
    "",
    `content-type:${contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(input.payload),
  ].join("\n");
  // The date of the credential is the UTC date of the timestamp (not Beijing's: 00:44 on the 26th
  // in Beijing is still the 25th).
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), "tc3_request");
  const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  return {
    signature,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/**
 * Tencent templates number their variables {1}, {2} …: parameters keyed "1", "2" … go in that
 * order; any other keys go in the order they were given.
 */
export function templateParamSet(params: Record<string, string>): string[] {
  const keys = Object.keys(params);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) keys.sort((a, b) => Number(a) - Number(b));
  return keys.map((k) => params[k]!);
}

/**
 * The signed SendSms request for one message. TC3 has no nonce (the timestamp, checked to within
 * five minutes, plays its part); the parameter is there so that both adapters take the same inputs.
 */
export function buildRequest(message: OutgoingMessage, config: TencentSmsConfig, now: Date, _nonce?: string): HttpRequest {
  if (!message.template) throw new Error("Tencent SendSms needs an approved template");
  const phone = tencentPhoneNumber(message.to);
  if (!phone) throw new Error("not a usable phone number");
  const payload = JSON.stringify({
    PhoneNumberSet: [phone],
    SmsSdkAppId: config.sdkAppId,
    SignName: config.signName,
    TemplateId: message.template.id,
    TemplateParamSet: templateParamSet(message.template.params),
    SessionContext: message.messageId,
  });
  const timestamp = Math.floor(now.getTime() / 1000);
  const { authorization } = tc3Authorization({
    secretId: config.secretId,
    secretKey: config.secretKey,
    service: "sms",
    host: config.host,
    timestamp,
    payload,
  });
  return {
    method: "POST",
    url: `https://${config.host}/`,
    headers: {
      Authorization: authorization,
      "Content-Type": CONTENT_TYPE,
      // Signed, so listed; Node's fetch sends the URL's host itself (the same value) and drops this.
      Host: config.host,
      "X-TC-Action": "SendSms",
      "X-TC-Timestamp": String(timestamp),
      "X-TC-Version": "2021-01-11",
      "X-TC-Region": config.region,
    },
    body: payload,
  };
}

// Worth another attempt later: throttling (per number, per app, per account), the platform's own
// trouble, an expired signature (clock skew; the next attempt signs anew) and an empty SMS package.
function retryable(code: string, status: number): boolean {
  if (code.startsWith("LimitExceeded.") || code.startsWith("RequestLimitExceeded")) return true;
  if (code.startsWith("InternalError") || code === "ResourceUnavailable") return true;
  if (code === "AuthFailure.SignatureExpire" || code === "FailedOperation.InsufficientBalanceInSmsPackage") return true;
  // A bad number, an unsubscribed number (FailedOperation.PhoneNumberInBlacklist), a template or
  // signature not approved, bad credentials: the same answer every time.
  if (/^(InvalidParameter|FailedOperation|AuthFailure|UnauthorizedOperation|MissingParameter)/.test(code)) return false;
  return status >= 500;
}

interface SendStatus {
  SerialNo?: unknown;
  Code?: unknown;
  Message?: unknown;
}

interface TencentResponse {
  Error?: { Code?: unknown; Message?: unknown };
  SendStatusSet?: SendStatus[];
}

/** What a SendSms response means for the outbox (one number per request). */
export function parseResponse(status: number, bodyText: string): SendResult {
  let response: TencentResponse | undefined;
  try {
    response = (JSON.parse(bodyText) as { Response?: TencentResponse } | null)?.Response;
  } catch {
    // Not JSON: a proxy's or gateway's page.
  }
  if (!response || typeof response !== "object") {
    const retry = status >= 500 || status === 408 || status === 429 || status < 400;
    return { ok: false, retry, error: `tencent: HTTP ${status}, unexpected body: ${bodyText.slice(0, 200)}` };
  }
  const failure = (code: unknown, message: unknown): SendResult => {
    const c = typeof code === "string" ? code : "unknown";
    return { ok: false, retry: retryable(c, status), error: `tencent: ${c}: ${typeof message === "string" ? message : ""}`.trim() };
  };
  if (response.Error) return failure(response.Error.Code, response.Error.Message);
  const first = Array.isArray(response.SendStatusSet) ? response.SendStatusSet[0] : undefined;
  if (!first) return { ok: false, retry: true, error: "tencent: no SendStatusSet in the response" };
  if (first.Code === "Ok") {
    return { ok: true, providerId: typeof first.SerialNo === "string" && first.SerialNo ? first.SerialNo : null };
  }
  return failure(first.Code, first.Message);
}

export function createTencentChannel(
  config: TencentSmsConfig,
  fetchImpl: typeof fetch = fetch,
  options: ChannelOptions = {},
): Channel & { provider: "tencent" } {
  const { timeoutMs = 10_000, now = () => new Date() } = options;
  return {
    name: "sms",
    provider: "tencent",
    async send(message) {
      if (!message.template) return { ok: false, retry: false, error: "tencent: no approved template for this message" };
      if (!tencentPhoneNumber(message.to)) return { ok: false, retry: false, error: "tencent: not a usable phone number" };
      return exchange("tencent", buildRequest(message, config, now()), fetchImpl, timeoutMs, parseResponse);
    },
  };
}
