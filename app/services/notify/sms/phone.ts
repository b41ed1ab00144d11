// Phone numbers as each provider wants them. Contacts are stored as the citizen typed them
// (digits, optional leading +); mainland mobile numbers are 11 digits starting with 1, possibly
// written with +86, 0086 or 86 in front.
//  - Aliyun SendSms (PhoneNumbers): "国内短信: +/+86/0086/86 或无任何前缀的手机号码"; international
//    numbers as country code + number without "+" (852000012****). We send the bare 11 digits.
//  - Tencent SendSms 2021-01-11 (PhoneNumberSet): E.164, "+[国家或地区码][手机号]", e.g.
//    +8618501234444.

const MAINLAND = /^(?:\+86|0086|86)?(1\d{10})$/;
const INTERNATIONAL = /^(?:\+|00)([1-9]\d{6,14})$/;

function compact(raw: string): string {
  return raw.replace(/[\s\-().]/g, "");
}

/** For Aliyun: 11 digits for a mainland number, country code + number otherwise; null if unusable. */
export function aliyunPhoneNumber(raw: string): string | null {
  const n = compact(raw);
  const mainland = MAINLAND.exec(n);
  if (mainland) return mainland[1]!;
  const intl = INTERNATIONAL.exec(n);
  return intl ? intl[1]! : null;
}

/** For Tencent: E.164 (+86 and 11 digits for a mainland number); null if unusable. */
export function tencentPhoneNumber(raw: string): string | null {
  const n = compact(raw);
  const mainland = MAINLAND.exec(n);
  if (mainland) return `+86${mainland[1]}`;
  const intl = INTERNATIONAL.exec(n);
  return intl ? `+${intl[1]}` : null;
}
