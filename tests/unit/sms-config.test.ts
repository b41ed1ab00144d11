// SMS configuration from the environment (issue 13): the log adapter by default, a named provider
// only when fully configured, problems listed by name.
import { describe, expect, it } from "vitest";
import { readSmsConfig, templateFor } from "#app/services/notify/sms/config";

const templates = JSON.stringify({ complaint_received: { "zh-Hans": "SMS_123", ug: "SMS_124" } });

describe("readSmsConfig", () => {
  it("defaults to the log adapter", () => {
    expect(readSmsConfig({})).toEqual({ ok: true, config: { provider: "log", templates: {} } });
    expect(readSmsConfig({ SMS_PROVIDER: " " })).toMatchObject({ ok: true, config: { provider: "log" } });
  });

  it("refuses an unknown provider", () => {
    const result = readSmsConfig({ SMS_PROVIDER: "twilio" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatch(/SMS_PROVIDER: must be log, aliyun or tencent/);
  });

  it("lists everything an incompletely configured provider lacks", () => {
    const aliyun = readSmsConfig({ SMS_PROVIDER: "aliyun", ALIYUN_ACCESS_KEY_ID: "LTAI5t" });
    expect(aliyun).toEqual({
      ok: false,
      problems: [
        "SMS_PROVIDER=aliyun needs ALIYUN_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME",
        "SMS_PROVIDER=aliyun needs SMS_TEMPLATES (the approved template ids)",
      ],
    });
    const tencent = readSmsConfig({ SMS_PROVIDER: "tencent", TENCENT_SMS_SDK_APP_ID: "14000x", SMS_TEMPLATES: templates });
    expect(!tencent.ok && tencent.problems).toEqual([
      "SMS_PROVIDER=tencent needs TENCENT_SECRET_ID, TENCENT_SECRET_KEY, TENCENT_SMS_SIGN_NAME",
      "TENCENT_SMS_SDK_APP_ID: digits only, such as 1400006666",
    ]);
  });

  it("reads a complete Aliyun and Tencent configuration with their defaults", () => {
    const aliyun = readSmsConfig({
      SMS_PROVIDER: "aliyun",
      ALIYUN_ACCESS_KEY_ID: "id",
      ALIYUN_ACCESS_KEY_SECRET: "secret",
      ALIYUN_SMS_SIGN_NAME: "市民热线",
      SMS_TEMPLATES: templates,
    });
    expect(aliyun).toEqual({
      ok: true,
      config: {
        provider: "aliyun",
        templates: { complaint_received: { "zh-Hans": "SMS_123", ug: "SMS_124" } },
        aliyun: { accessKeyId: "id", accessKeySecret: "secret", signName: "市民热线", regionId: "cn-hangzhou", endpoint: "https://dysmsapi.aliyuncs.com/" },
      },
    });
    const tencent = readSmsConfig({
      SMS_PROVIDER: "tencent",
      TENCENT_SECRET_ID: "AKID",
      TENCENT_SECRET_KEY: "key",
      TENCENT_SMS_SDK_APP_ID: "1400006666",
      TENCENT_SMS_SIGN_NAME: "市民热线",
      SMS_TEMPLATES: templates,
    });
    expect(tencent).toMatchObject({ ok: true, config: { provider: "tencent", tencent: { region: "ap-guangzhou", host: "sms.tencentcloudapi.com", sdkAppId: "1400006666" } } });
  });

  it("explains a malformed SMS_TEMPLATES, even for the log adapter", () => {
    expect(readSmsConfig({ SMS_TEMPLATES: "{complaint_received:" })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^SMS_TEMPLATES: not valid JSON/)] });
    const bad = readSmsConfig({ SMS_TEMPLATES: JSON.stringify({ "Complaint Received": { "zh-Hans": "SMS_1" }, complaint_replied: { ug: "" } }) });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join("\n")).toMatch(/snake_case/);
    expect(!bad.ok && bad.problems.join("\n")).toMatch(/SMS_TEMPLATES\.complaint_replied\.ug: a template id cannot be empty/);
  });

  it("refuses templates for a language the platform does not speak", () => {
    const result = readSmsConfig({ SMS_TEMPLATES: JSON.stringify({ complaint_received: { zh: "SMS_1" } }) }, ["zh-Hans", "ug", "kk", "en"]);
    expect(!result.ok && result.problems).toEqual(["SMS_TEMPLATES.complaint_received.zh: unknown language (known: zh-Hans, ug, kk, en)"]);
  });

  it("finds the template for a kind and language", () => {
    const result = readSmsConfig({ SMS_TEMPLATES: templates });
    const t = result.ok ? result.config.templates : {};
    expect(templateFor(t, "complaint_received", "ug")).toBe("SMS_124");
    expect(templateFor(t, "complaint_received", "kk")).toBeNull();
    expect(templateFor(t, "complaint_closed", "ug")).toBeNull();
  });
});
