// The period's method-parameters form (parseMethodParams): the handling settings of issue 13 are
// real fields with their own translated messages, and a bad value comes back as typed.
import { describe, expect, it } from "vitest";
import { parseMethodParams } from "#app/domain/score-forms";
import { defaultParams } from "#app/domain/scoring";

const valid: Record<string, string> = {
  p5: "100",
  p4: "80",
  p3: "60",
  p2: "30",
  p1: "0",
  surveyWeight: "0.7",
  timelinessWeight: "0.5",
  maxPoints: "20",
  minSample: "30",
  confidence: "0.95",
  verifiedWeight: "1",
  ratingInviteDays: "3",
  assumeSatisfiedDays: "5",
  followUpDays: "5",
  reportThreshold: "60",
  rectificationDays: "15",
};

function form(fields: Record<string, string>, flags: readonly string[] = defaultParams.excludingFlags) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const flag of flags) f.append("excludingFlags", flag);
  return f;
}

describe("the handling settings of the parameters form", () => {
  it("reads them, the rule off without its checkbox", () => {
    const parsed = parseMethodParams(form(valid));
    expect(parsed).toEqual({ ok: true, data: defaultParams });
    const changed = parseMethodParams(form({ ...valid, ratingInviteDays: "2", assumeSatisfied: "on", assumeSatisfiedDays: "7", followUpDays: "10", rectificationDays: "20" }));
    expect(changed.ok && changed.data).toMatchObject({ ratingInviteDays: 2, assumeSatisfied: true, assumeSatisfiedDays: 7, followUpDays: 10, rectificationDays: 20 });
  });

  it.each([
    ["ratingInviteDays", "0", "errors.ratingInviteDays"],
    ["ratingInviteDays", "31", "errors.ratingInviteDays"],
    ["ratingInviteDays", "2.5", "errors.ratingInviteDays"],
    ["ratingInviteDays", "", "errors.ratingInviteDays"],
    ["assumeSatisfiedDays", "61", "errors.assumeSatisfiedDays"],
    ["assumeSatisfiedDays", "abc", "errors.assumeSatisfiedDays"],
    ["followUpDays", "-1", "errors.followUpDays"],
    ["followUpDays", "1e3", "errors.followUpDays"],
    ["rectificationDays", "0", "errors.rectificationDays"],
    ["rectificationDays", "61", "errors.rectificationDays"],
    ["rectificationDays", "", "errors.rectificationDays"],
    ["assumeSatisfied", "yes", "errors.invalidChoice"],
  ])("refuses %s = %j with its own message, keeping what was typed", (field, value, message) => {
    const parsed = parseMethodParams(form({ ...valid, [field]: value }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[field]).toBe(message);
    expect(parsed.values[field]).toBe(value);
    expect(parsed.values.minSample).toBe("30");
  });

  it("reads the report's threshold of S, which must be a value of S", () => {
    const parsed = parseMethodParams(form({ ...valid, reportThreshold: "72.5" }));
    expect(parsed.ok && parsed.data.reportThreshold).toBe(72.5);
    for (const value of ["", "-1", "100.01", "abc", "1e3"]) {
      const refused = parseMethodParams(form({ ...valid, reportThreshold: value }));
      expect(refused.ok).toBe(false);
      if (refused.ok) continue;
      expect(refused.errors.reportThreshold).toBe("errors.reportThreshold");
      expect(refused.values.reportThreshold).toBe(value);
    }
    expect(parseMethodParams(form({ ...valid, reportThreshold: "0" })).ok).toBe(true);
    expect(parseMethodParams(form({ ...valid, reportThreshold: "100" })).ok).toBe(true);
  });

  it("with the rule on, the invitation must come before the assumption", () => {
    const same = parseMethodParams(form({ ...valid, assumeSatisfied: "on", ratingInviteDays: "5", assumeSatisfiedDays: "5" }));
    expect(same).toMatchObject({ ok: false, errors: { ratingInviteDays: "errors.inviteBeforeAssumed" } });
    expect(!same.ok && same.values).toMatchObject({ assumeSatisfied: "on", ratingInviteDays: "5", assumeSatisfiedDays: "5" });
    // With the rule off the order does not matter (nothing is assumed).
    expect(parseMethodParams(form({ ...valid, ratingInviteDays: "5", assumeSatisfiedDays: "5" })).ok).toBe(true);
    expect(parseMethodParams(form({ ...valid, assumeSatisfied: "on", ratingInviteDays: "4", assumeSatisfiedDays: "5" })).ok).toBe(true);
  });
});
