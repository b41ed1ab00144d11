// SMS configuration from the environment. SMS_PROVIDER names the adapter: `log` (the default:
// messages are recorded, nothing is sent), `aliyun` or `tencent`. A provider that is named but
// incompletely configured is an error listing everything missing, so the server stops at start-up
// (app/lib/env.server.ts calls readSmsConfig) instead of failing on the first message.
//
// Providers send only pre-approved templates, so SMS_TEMPLATES maps each message kind and language
// to the template id approved for it, as one JSON value:
//   SMS_TEMPLATES={"complaint_received":{"zh-Hans":"SMS_123","ug":"SMS_124"}}
// (Aliyun template codes look like SMS_153055065; Tencent template ids are digits such as 1110.)
import { z } from "zod";

export type SmsProviderName = "log" | "aliyun" | "tencent";

/** kind → language → provider template id. */
export type SmsTemplates = Record<string, Record<string, string>>;

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** RPC RegionId; SendSms documents cn-hangzhou. */
  regionId: string;
  endpoint: string;
}

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  /** X-TC-Region: ap-guangzhou, ap-beijing or ap-nanjing for SMS. */
  region: string;
  host: string;
}

export type SmsConfig =
  | { provider: "log"; templates: SmsTemplates }
  | { provider: "aliyun"; aliyun: AliyunSmsConfig; templates: SmsTemplates }
  | { provider: "tencent"; tencent: TencentSmsConfig; templates: SmsTemplates };

export type SmsConfigResult = { ok: true; config: SmsConfig } | { ok: false; problems: string[] };

const templatesSchema = z.record(
  z.string(),
  z.record(z.string(), z.string().trim().min(1, "a template id cannot be empty")),
);

const REQUIRED = {
  aliyun: ["ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME"],
  tencent: ["TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME"],
} as const;

function value(env: Record<string, string | undefined>, name: string): string {
  return (env[name] ?? "").trim();
}

/**
 * The SMS configuration, or every problem with it. `languages` (optional) are the languages the
 * platform speaks; template entries for any other language are refused as typos.
 */
export function readSmsConfig(
  env: Record<string, string | undefined>,
  languages?: readonly string[],
): SmsConfigResult {
  const problems: string[] = [];
  const provider = value(env, "SMS_PROVIDER") || "log";
  if (provider !== "log" && provider !== "aliyun" && provider !== "tencent") {
    return { ok: false, problems: [`SMS_PROVIDER: must be log, aliyun or tencent (got "${provider}")`] };
  }

  let templates: SmsTemplates = {};
  const rawTemplates = value(env, "SMS_TEMPLATES");
  if (rawTemplates) {
    let json: unknown;
    try {
      json = JSON.parse(rawTemplates);
    } catch {
      problems.push('SMS_TEMPLATES: not valid JSON (expected e.g. {"complaint_received":{"zh-Hans":"SMS_123"}})');
    }
    if (json !== undefined) {
      const parsed = templatesSchema.safeParse(json);
      if (parsed.success) templates = parsed.data;
      else problems.push(...parsed.error.issues.map((i) => `${["SMS_TEMPLATES", ...i.path].join(".")}: ${i.message}`));
      for (const kind of json && typeof json === "object" ? Object.keys(json) : []) {
        if (!/^[a-z][a-z0-9_]*$/.test(kind)) {
          problems.push(`SMS_TEMPLATES.${kind}: message kinds are snake_case names such as complaint_received`);
        }
      }
    }
  }
  for (const [kind, byLang] of languages ? Object.entries(templates) : []) {
    for (const lang of Object.keys(byLang)) {
      if (!languages!.includes(lang)) {
        problems.push(`SMS_TEMPLATES.${kind}.${lang}: unknown language (known: ${languages!.join(", ")})`);
      }
    }
  }

  if (provider === "log") {
    return problems.length ? { ok: false, problems } : { ok: true, config: { provider, templates } };
  }

  const missing = REQUIRED[provider].filter((name) => !value(env, name));
  if (missing.length) problems.push(`SMS_PROVIDER=${provider} needs ${missing.join(", ")}`);
  if (!rawTemplates) problems.push(`SMS_PROVIDER=${provider} needs SMS_TEMPLATES (the approved template ids)`);
  if (provider === "tencent") {
    const appId = value(env, "TENCENT_SMS_SDK_APP_ID");
    if (appId && !/^\d+$/.test(appId)) problems.push("TENCENT_SMS_SDK_APP_ID: digits only, such as 1400006666");
  }
  if (problems.length) return { ok: false, problems };

  if (provider === "aliyun") {
    return {
      ok: true,
      config: {
        provider,
        templates,
        aliyun: {
          accessKeyId: value(env, "ALIYUN_ACCESS_KEY_ID"),
          accessKeySecret: value(env, "ALIYUN_ACCESS_KEY_SECRET"),
          signName: value(env, "ALIYUN_SMS_SIGN_NAME"),
          regionId: value(env, "ALIYUN_SMS_REGION_ID") || "cn-hangzhou",
          endpoint: value(env, "ALIYUN_SMS_ENDPOINT") || "https://dysmsapi.aliyuncs.com/",
        },
      },
    };
  }
  return {
    ok: true,
    config: {
      provider,
      templates,
      tencent: {
        secretId: value(env, "TENCENT_SECRET_ID"),
        secretKey: value(env, "TENCENT_SECRET_KEY"),
        sdkAppId: value(env, "TENCENT_SMS_SDK_APP_ID"),
        signName: value(env, "TENCENT_SMS_SIGN_NAME"),
        region: value(env, "TENCENT_SMS_REGION") || "ap-guangzhou",
        host: value(env, "TENCENT_SMS_HOST") || "sms.tencentcloudapi.com",
      },
    },
  };
}

/** The template approved for this kind of message in this language, if any. */
export function templateFor(templates: SmsTemplates, kind: string, lang: string): string | null {
  return templates[kind]?.[lang] ?? null;
}
