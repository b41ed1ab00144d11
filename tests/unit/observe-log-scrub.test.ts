// Outside text (a provider's error) goes into the log without the address or number it quotes
// (app/lib/log-scrub.ts).
import { describe, expect, it } from "vitest";
import { scrubLogText } from "#app/lib/log-scrub";

describe("scrubbing outside text for the log", () => {
  it("replaces e-mail addresses, phone numbers and query strings", () => {
    expect(scrubLogText("550 5.1.1 <wang.li+test@example.gov.cn>: Recipient address rejected")).toBe("550 5.1.1 <[email]>: Recipient address rejected");
    expect(scrubLogText("isv.MOBILE_NUMBER_ILLEGAL: +86 138 0013 8000 is not valid")).toBe("isv.MOBILE_NUMBER_ILLEGAL: [number] is not valid");
    expect(scrubLogText("bad number 13800138000")).toBe("bad number [number]");
    expect(scrubLogText("GET /track/open?t=1.abc.def failed")).toBe("GET /track/open?[query] failed");
  });

  it("keeps what helps an operator: codes, short numbers, host names", () => {
    expect(scrubLogText("connect ECONNREFUSED 127.0.0.1:2525")).toBe("connect ECONNREFUSED 127.0.0.1:2525");
    expect(scrubLogText("421 4.7.0 Try again later")).toBe("421 4.7.0 Try again later");
  });

  it("cuts long text", () => {
    expect(scrubLogText("x".repeat(500))).toHaveLength(201);
    expect(scrubLogText("x".repeat(50), 10)).toBe(`${"x".repeat(10)}…`);
  });
});
