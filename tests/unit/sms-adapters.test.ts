// Contract tests for the SMS adapters (issue 13): the requests they build and the way they read
// answers, against the providers' documented examples, with no network.
import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "#app/services/notify/channel";
import {
  buildRequest as aliyunRequest,
  canonicalQuery,
  createAliyunChannel,
  parseResponse as aliyunParse,
  rpcSignature,
} from "#app/services/notify/sms/aliyun";
import type { AliyunSmsConfig, TencentSmsConfig } from "#app/services/notify/sms/config";
import { clearLoggedSms, createLogChannel, loggedSms } from "#app/services/notify/sms/log";
import { aliyunPhoneNumber, tencentPhoneNumber } from "#app/services/notify/sms/phone";
import {
  buildRequest as tencentRequest,
  createTencentChannel,
  parseResponse as tencentParse,
  tc3Authorization,
  templateParamSet,
} from "#app/services/notify/sms/tencent";

// ---------------------------------------------------------------------------------------------
// Aliyun
// ---------------------------------------------------------------------------------------------

// The worked example of Aliyun's SMS signature documentation (HTTP协议及签名).
const ALIYUN_DOC = {
  params: {
    AccessKeyId: "testId",
    Action: "SendSms",
    Format: "XML",
    OutId: "123",
    PhoneNumbers: "15300000001",
    RegionId: "cn-hangzhou",
    SignName: "阿里云短信测试专用",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    SignatureVersion: "1.0",
    TemplateCode: "SMS_71390007",
    TemplateParam: '{"customer":"test"}',
    Timestamp: "2017-07-12T02:42:19Z",
    Version: "2017-05-25",
  },
  sortedQuery:
    "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou" +
    "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8" +
    "&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0" +
    "&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D" +
    "&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
  stringToSign:
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001" +
    "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4" +
    "%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1" +
    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007" +
    "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z" +
    "%26Version%3D2017-05-25",
  secret: "testSecret",
  signature: "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
};

// The same example as our adapter sends it: a message and configuration that produce the
// documented parameters, except that we ask for JSON and POST the form.
const aliyunConfig: AliyunSmsConfig = {
  accessKeyId: "testId",
  accessKeySecret: "testSecret",
  signName: "阿里云短信测试专用",
  regionId: "cn-hangzhou",
  endpoint: "https://dysmsapi.aliyuncs.com/",
};
const aliyunMessage: OutgoingMessage = {
  messageId: "123",
  channel: "sms",
  to: "+86 153 0000 0001",
  lang: "zh-Hans",
  text: "尊敬的test，您的投诉已受理。",
  template: { id: "SMS_71390007", params: { customer: "test" } },
};
const docTime = new Date("2017-07-12T02:42:19.000Z");
const docNonce = "45e25e9b-0a6f-4070-8c85-2956eda1b466";

function hmacSha1Base64(key: string, text: string): string {
  return createHmac("sha1", key).update(text, "utf8").digest("base64");
}

describe("Aliyun SendSms (2017-05-25)", () => {
  it("signs the documentation's example to the documented signature", () => {
    expect(canonicalQuery(ALIYUN_DOC.params)).toBe(ALIYUN_DOC.sortedQuery);
    expect(rpcSignature("GET", ALIYUN_DOC.params, ALIYUN_DOC.secret)).toBe(ALIYUN_DOC.signature);
    // And the documented string-to-sign really gives that signature (the key is secret + "&").
    expect(hmacSha1Base64(`${ALIYUN_DOC.secret}&`, ALIYUN_DOC.stringToSign)).toBe(ALIYUN_DOC.signature);
  });

  it("signs the RPC signature page's DescribeRegions example", () => {
    const params = {
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      Format: "XML",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      SignatureVersion: "1.0",
      Timestamp: "2016-02-23T12:46:24Z",
      Version: "2014-05-26",
    };
    expect(rpcSignature("GET", params, "testsecret")).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("builds the documented request, OutId carrying the message id, the number as 11 digits", () => {
    const request = aliyunRequest(aliyunMessage, aliyunConfig, docTime, docNonce);
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://dysmsapi.aliyuncs.com/");
    expect(request.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    const form = Object.fromEntries(new URLSearchParams(request.body));
    const { Signature, ...params } = form;
    expect(params).toEqual({ ...ALIYUN_DOC.params, Format: "JSON" });
    // Independently: the documented string-to-sign with our two differences (POST, JSON).
    const expected = hmacSha1Base64(
      "testSecret&",
      ALIYUN_DOC.stringToSign.replace(/^GET&/, "POST&").replace("Format%3DXML", "Format%3DJSON"),
    );
    expect(Signature).toBe(expected);
    // A different nonce or time changes the signature (no replay of an old request).
    const other = Object.fromEntries(new URLSearchParams(aliyunRequest(aliyunMessage, aliyunConfig, docTime, "n2").body));
    expect(other.Signature).not.toBe(Signature);
  });

  it("leaves TemplateParam out when the template has no variables", () => {
    const request = aliyunRequest({ ...aliyunMessage, template: { id: "SMS_1", params: {} } }, aliyunConfig, docTime, "n");
    expect(new URLSearchParams(request.body).has("TemplateParam")).toBe(false);
  });

  it("reads success, throttling and an invalid number", () => {
    // Success: the fields of SendSms's answer.
    expect(aliyunParse(200, '{"Code":"OK","Message":"OK","BizId":"700000000000000000^0","RequestId":"A0000000-3CC1-4000-8000-E00000000000"}')).toEqual({
      ok: true,
      providerId: "700000000000000000^0",
    });
    // Throttling (isv.BUSINESS_LIMIT_CONTROL, 业务限流): try again later.
    const throttled = aliyunParse(200, '{"Message":"触发天级流控Permits:10","RequestId":"C0A0BE93-B44F-4350-BCC8-B677F78C3802","Code":"isv.BUSINESS_LIMIT_CONTROL"}');
    expect(throttled).toMatchObject({ ok: false, retry: true });
    expect(!throttled.ok && throttled.error).toContain("isv.BUSINESS_LIMIT_CONTROL");
    // Invalid number (isv.MOBILE_NUMBER_ILLEGAL, 非法手机号): never.
    const invalid = aliyunParse(200, '{"Message":"139523483377invalid mobile number","RequestId":"84A18172-BA0D-4AAB-A9FA-C8F484C29AE3","Code":"isv.MOBILE_NUMBER_ILLEGAL"}');
    expect(invalid).toMatchObject({ ok: false, retry: false });
  });

  it("does not retry configuration errors, retries the platform's", () => {
    expect(aliyunParse(200, '{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"模板不合法"}')).toMatchObject({ retry: false });
    expect(aliyunParse(200, '{"Code":"isv.SMS_SIGNATURE_ILLEGAL","Message":"签名不合法"}')).toMatchObject({ retry: false });
    expect(aliyunParse(400, '{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"}')).toMatchObject({ retry: false });
    expect(aliyunParse(404, '{"Code":"InvalidAccessKeyId.NotFound","Message":"not found"}')).toMatchObject({ retry: false });
    expect(aliyunParse(200, '{"Code":"isp.RAM_PERMISSION_DENY","Message":"RAM"}')).toMatchObject({ retry: false });
    expect(aliyunParse(200, '{"Code":"isp.SYSTEM_ERROR","Message":"系统错误"}')).toMatchObject({ retry: true });
    expect(aliyunParse(503, '{"Code":"ServiceUnavailable","Message":"busy"}')).toMatchObject({ retry: true });
    expect(aliyunParse(502, "<html>Bad Gateway</html>")).toMatchObject({ ok: false, retry: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Tencent
// ---------------------------------------------------------------------------------------------

const tencentConfig: TencentSmsConfig = {
  secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  sdkAppId: "1400006666",
  signName: "腾讯云",
  region: "ap-guangzhou",
  host: "sms.tencentcloudapi.com",
};
// The SendSms request example of the 2021-01-11 documentation, for one of its two numbers.
const tencentMessage: OutgoingMessage = {
  messageId: "test",
  channel: "sms",
  to: "18511122233",
  lang: "zh-Hans",
  text: "您的验证码是1234",
  template: { id: "1110", params: { "1": "1234" } },
};
const tencentTime = new Date(1551113065 * 1000);

/** TC3-HMAC-SHA256 written out again from the documentation's pseudocode, for comparison. */
function independentTc3(secretKey: string, service: string, host: string, timestamp: number, payload: string): string {
  const hex = (s: string) => createHash("sha256").update(s).digest("hex");
  const mac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();
  const canonical = `POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:${host}\n\ncontent-type;host\n${hex(payload)}`;
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${hex(canonical)}`;
  const key = mac(mac(mac("TC3" + secretKey, date), service), "tc3_request");
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("Tencent Cloud SendSms (2021-01-11)", () => {
  it("signs the signature v3 documentation's example to the documented signature", () => {
    const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    // The documented hash of this payload, to be sure the test feeds the same bytes.
    expect(createHash("sha256").update(payload).digest("hex")).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    const { signature, authorization } = tc3Authorization({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      service: "cvm",
      host: "cvm.tencentcloudapi.com",
      timestamp: 1551113065,
      payload,
    });
    expect(signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    // The credential date is the UTC date (2019-02-25), though it was already the 26th in Beijing.
    expect(authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("builds the documented request, SessionContext carrying the message id, the number as +86…", () => {
    const request = tencentRequest(tencentMessage, tencentConfig, tencentTime, "unused");
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://sms.tencentcloudapi.com/");
    expect(JSON.parse(request.body)).toEqual({
      PhoneNumberSet: ["+8618511122233"],
      SmsSdkAppId: "1400006666",
      SignName: "腾讯云",
      TemplateId: "1110",
      TemplateParamSet: ["1234"],
      SessionContext: "test",
    });
    const signature = independentTc3(tencentConfig.secretKey, "sms", "sms.tencentcloudapi.com", 1551113065, request.body);
    expect(request.headers).toEqual({
      Authorization: `TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
      "Content-Type": "application/json; charset=utf-8",
      Host: "sms.tencentcloudapi.com",
      "X-TC-Action": "SendSms",
      "X-TC-Timestamp": "1551113065",
      "X-TC-Version": "2021-01-11",
      "X-TC-Region": "ap-guangzhou",
    });
  });

  it("orders positional template parameters by number", () => {
    expect(templateParamSet({ "2": "b", "10": "c", "1": "a" })).toEqual(["a", "b", "c"]);
    expect(templateParamSet({ reference: "X1", unit: "市民政局" })).toEqual(["X1", "市民政局"]);
  });

  it("reads success, throttling and an invalid number", () => {
    // Success: the documentation's SendSms answer (first number).
    const success = JSON.stringify({
      Response: {
        SendStatusSet: [
          { SerialNo: "5000:1045710669157053657849499619", PhoneNumber: "+8618511122233", Fee: 1, SessionContext: "test", Code: "Ok", Message: "send success", IsoCode: "CN" },
        ],
        RequestId: "a0aabda6-cf91-4f3e-a81f-9198114a2279",
      },
    });
    expect(tencentParse(200, success)).toEqual({ ok: true, providerId: "5000:1045710669157053657849499619" });
    // Per-number throttling comes back as that number's status.
    const status = (Code: string, Message: string) =>
      JSON.stringify({ Response: { SendStatusSet: [{ SerialNo: "", PhoneNumber: "+8618511122233", Fee: 0, SessionContext: "test", Code, Message, IsoCode: "CN" }], RequestId: "r" } });
    expect(tencentParse(200, status("LimitExceeded.PhoneNumberDailyLimit", "单个手机号日下发短信条数超过设定的上限"))).toMatchObject({ ok: false, retry: true });
    expect(tencentParse(200, status("LimitExceeded.PhoneNumberThirtySecondLimit", "单个手机号30秒内下发短信条数超过设定的上限"))).toMatchObject({ ok: false, retry: true });
    // Invalid number: as a number's status or as the request's error, never retried.
    const invalid = tencentParse(200, status("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"));
    expect(invalid).toMatchObject({ ok: false, retry: false });
    expect(!invalid.ok && invalid.error).toContain("InvalidParameterValue.IncorrectPhoneNumber");
    expect(tencentParse(200, JSON.stringify({ Response: { Error: { Code: "InvalidParameterValue.IncorrectPhoneNumber", Message: "手机号格式错误" }, RequestId: "r" } }))).toMatchObject({ ok: false, retry: false });
  });

  it("does not retry configuration errors, retries the platform's", () => {
    const error = (Code: string) => JSON.stringify({ Response: { Error: { Code, Message: "m" }, RequestId: "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6" } });
    expect(tencentParse(200, error("AuthFailure.SignatureFailure"))).toMatchObject({ retry: false });
    expect(tencentParse(200, error("FailedOperation.TemplateIncorrectOrUnapproved"))).toMatchObject({ retry: false });
    expect(tencentParse(200, error("FailedOperation.SignatureIncorrectOrUnapproved"))).toMatchObject({ retry: false });
    expect(tencentParse(200, error("FailedOperation.PhoneNumberInBlacklist"))).toMatchObject({ retry: false });
    expect(tencentParse(200, error("RequestLimitExceeded"))).toMatchObject({ retry: true });
    expect(tencentParse(200, error("InternalError.Timeout"))).toMatchObject({ retry: true });
    expect(tencentParse(200, error("AuthFailure.SignatureExpire"))).toMatchObject({ retry: true });
    expect(tencentParse(504, "upstream timed out")).toMatchObject({ ok: false, retry: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Channels, with fake fetches
// ---------------------------------------------------------------------------------------------

const throwingFetch: typeof fetch = async () => {
  throw new TypeError("fetch failed");
};
const status500: typeof fetch = async () => new Response("Internal Server Error", { status: 500 });

describe("SMS channels", () => {
  const channels = [
    ["aliyun", (f: typeof fetch, timeoutMs?: number) => createAliyunChannel(aliyunConfig, f, { timeoutMs })],
    ["tencent", (f: typeof fetch, timeoutMs?: number) => createTencentChannel(tencentConfig, f, { timeoutMs })],
  ] as const;

  for (const [name, make] of channels) {
    it(`${name}: a network error or a 500 is retried`, async () => {
      expect(await make(throwingFetch).send(aliyunMessage)).toMatchObject({ ok: false, retry: true });
      expect(await make(status500).send(aliyunMessage)).toMatchObject({ ok: false, retry: true });
    });

    it(`${name}: a provider that does not answer in time is retried`, async () => {
      const hanging: typeof fetch = (_url, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
      expect(await make(hanging, 20).send(aliyunMessage)).toMatchObject({ ok: false, retry: true });
    });

    it(`${name}: a message without template or with an unusable number is refused without a request`, async () => {
      let calls = 0;
      const counting: typeof fetch = async () => {
        calls++;
        return new Response("{}");
      };
      expect(await make(counting).send({ ...aliyunMessage, template: undefined })).toMatchObject({ ok: false, retry: false });
      expect(await make(counting).send({ ...aliyunMessage, to: "12345" })).toMatchObject({ ok: false, retry: false });
      expect(calls).toBe(0);
    });
  }

  it("sends the built request and returns the provider's id", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const aliyunFake: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return new Response('{"Code":"OK","Message":"OK","BizId":"900619746936498^0","RequestId":"F655A8D5"}');
    };
    const result = await createAliyunChannel(aliyunConfig, aliyunFake).send(aliyunMessage);
    expect(result).toEqual({ ok: true, providerId: "900619746936498^0" });
    expect(seen[0]!.url).toBe("https://dysmsapi.aliyuncs.com/");
    expect(new URLSearchParams(String(seen[0]!.init.body)).get("OutId")).toBe("123");

    const tencentFake: typeof fetch = async (_url, init) => {
      const body = JSON.parse(String(init!.body));
      return new Response(JSON.stringify({ Response: { SendStatusSet: [{ SerialNo: "5000:1", SessionContext: body.SessionContext, Code: "Ok", Message: "send success" }], RequestId: "x" } }));
    };
    expect(await createTencentChannel(tencentConfig, tencentFake).send(tencentMessage)).toEqual({ ok: true, providerId: "5000:1" });
  });
});

describe("phone numbers", () => {
  it("writes mainland numbers as each provider documents them", () => {
    for (const raw of ["13800138000", "+8613800138000", "008613800138000", "86 138-0013-8000"]) {
      expect(aliyunPhoneNumber(raw)).toBe("13800138000");
      expect(tencentPhoneNumber(raw)).toBe("+8613800138000");
    }
    expect(aliyunPhoneNumber("+85261234567")).toBe("85261234567");
    expect(tencentPhoneNumber("+85261234567")).toBe("+85261234567");
    expect(aliyunPhoneNumber("2345")).toBeNull();
    expect(tencentPhoneNumber("not a number")).toBeNull();
  });
});

describe("log adapter", () => {
  afterEach(clearLoggedSms);

  it("records the message, sends nothing and keeps only the last N", async () => {
    const channel = createLogChannel({ keep: 2, signName: "市民热线" });
    for (const id of ["m1", "m2", "m3"]) {
      expect(await channel.send({ ...aliyunMessage, messageId: id })).toEqual({ ok: true, providerId: `log:${id}` });
    }
    const logged = loggedSms();
    expect(logged.map((m) => m.messageId)).toEqual(["m2", "m3"]);
    expect(logged[1]).toMatchObject({ to: "+86 153 0000 0001", text: aliyunMessage.text, segments: 1 });
  });
});
