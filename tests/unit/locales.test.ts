// Every UI string is a key present in every locale: a key missing from any language fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lookup, type Bundle } from "#app/i18n/translator";
import { defaultLanguage, languages } from "#app/i18n/languages";
import { caseActions, caseStatuses, complaintTypes } from "#app/domain/case-flow";
import { roles } from "#app/domain/permissions";
import { exclusionReasons } from "#app/domain/scoring";
import { auditActions, auditTargetTypes } from "#app/domain/audit-actions";
import { officeWideRoles } from "#app/domain/admin-forms";
import { unitKinds } from "#app/domain/unit-tree";
import { distributionErrorKeys } from "#app/domain/distribution";
import { ratingCodeErrorKeys, ratingCodeRefusals } from "#app/domain/rating-codes";
import { gradeCategories } from "#app/domain/anomaly-test";

const root = path.resolve(import.meta.dirname, "../..");
const localesDir = path.join(root, "locales");
const codes = fs.readdirSync(localesDir).filter((d) => fs.statSync(path.join(localesDir, d)).isDirectory());
const bundles = Object.fromEntries(
  codes.map((c) => [c, JSON.parse(fs.readFileSync(path.join(localesDir, c, "common.json"), "utf8")) as Bundle]),
);

function leafKeys(bundle: Bundle, prefix = ""): string[] {
  return Object.entries(bundle).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`),
  );
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe("locales", () => {
  it("every locale folder is a supported language with a name and a direction", () => {
    expect(languages.map((l) => l.code).sort()).toEqual([...codes].sort());
    expect(defaultLanguage).toBe("zh-Hans");
    expect(languages.find((l) => l.code === "ug")?.dir).toBe("rtl");
  });

  it("all locales have exactly the same keys", () => {
    const reference = leafKeys(bundles[defaultLanguage]!).sort();
    for (const code of codes) {
      const keys = leafKeys(bundles[code]!).sort();
      expect({ code, missing: reference.filter((k) => !keys.includes(k)) }).toEqual({ code, missing: [] });
      expect({ code, extra: keys.filter((k) => !reference.includes(k)) }).toEqual({ code, extra: [] });
    }
  });

  it("no translation is empty, and interpolations match the default language", () => {
    const reference = bundles[defaultLanguage]!;
    for (const code of codes) {
      for (const key of leafKeys(bundles[code]!)) {
        const text = lookup(bundles[code]!, key)!;
        expect(text.trim(), `${code}:${key}`).not.toBe("");
        const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
        expect(vars(text), `${code}:${key}`).toEqual(vars(lookup(reference, key) ?? ""));
      }
    }
  });

  it("every key used in the code exists", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(root, "app"))) {
      const src = fs.readFileSync(file, "utf8");
      for (const m of src.matchAll(/\bt\(\s*["']([\w.]+)["']/g)) used.add(m[1]!);
      for (const m of src.matchAll(/["'](errors\.\w+)["']/g)) used.add(m[1]!);
      // Administration keys handed around as values (errors, menu labels) before being translated.
      for (const m of src.matchAll(/["'](admin\.[\w.]+\w)["']/g)) used.add(m[1]!);
    }
    // Keys built at run time, listed here so they are checked too.
    for (const g of ["5", "4", "3", "2", "1", "na"]) used.add(`grade.${g}`);
    for (const k of ["region", "county", "department"]) used.add(`unitKind.${k}`);
    for (const k of complaintTypes) used.add(`complaint.type.${k}`).add(`complaint.typeHint.${k}`);
    for (const k of caseStatuses) used.add(`complaint.status.${k}`);
    for (const k of ["yes", "no"]) used.add(`complaint.anonymous.${k}`);
    for (const k of ["submit", ...caseActions, "rate", "supervise", "note", "contact_viewed", "extension_requested", "extension_approved", "extension_refused"]) used.add(`track.event.${k}`);
    for (const k of ["pending", "approved", "refused"]) used.add(`staff.extension.status.${k}`);
    for (const k of ["due", "newest", "oldest"]) used.add(`staff.queue.sortBy.${k}`);
    for (const k of ["open", ...caseStatuses, "all"]) used.add(`staff.queue.tab.${k}`);
    // Counted phrases (app/i18n/plural.ts): every locale has _one and _other.
    for (const k of ["extendedBy", "moreDays"]) for (const form of ["one", "other"]) used.add(`staff.case.${k}_${form}`);
    for (const k of ["holiday", "workday", "none"]) used.add(`staff.calendar.kinds.${k}`);
    for (const k of ["acceptDays", "replyDays", "maxExtensionDays"]) used.add(`staff.calendar.${k}`);
    for (const k of ["accept", "start", "close", "reply", "reject", "note", "transfer"]) used.add(`staff.action.${k}`);
    for (const k of ["reply", "reject", "note"]) used.add(`staff.action.${k}Label`);
    used.add("track.event.exclude_rating");
    for (const k of ["queue", "overdue", "calendar", "scores", "unitScores", "periods", "tokens", "reviewers"]) used.add(`staff.nav.${k}`);
    for (const k of ["draft", "open", "closed"]) used.add(`staff.periods.statuses.${k}`);
    for (const k of ["close", "recompute"]) used.add(`staff.period.snapshotKinds.${k}`);
    for (const k of ["p5", "p4", "p3", "p2", "p1", "surveyWeight", "timelinessWeight", "maxPoints", "minSample", "confidence"]) used.add(`staff.params.${k}`);
    for (const k of ["period.create", "period.open", "period.close", "period.params", "period.audit", "snapshot.create", "role.grant", "role.revoke", "responses.export"]) used.add(`staff.audit.${k}`);
    for (const k of roles) used.add(`staff.roles.${k}`);
    for (const k of exclusionReasons) used.add(`scores.exclusion.${k}`);
    for (const k of ["insufficient_sample", "no_responses", "no_complaints"]) used.add(`scores.flag.${k}`);
    for (const k of ["onTime", "late", "pending", "rejected"]) used.add(`scores.volume.${k}`);
    used.add("errors.notFound");
    for (const k of auditActions) used.add(`admin.auditActions.${k}`);
    for (const k of auditTargetTypes) used.add(`admin.targetTypes.${k}`);
    for (const k of officeWideRoles) used.add(`admin.roleHints.${k}`);
    for (const k of unitKinds) used.add(`admin.units.kinds.${k}`);
    for (const k of ["created", "renamed", "moved", "deactivated", "reactivated"]) used.add(`admin.units.done.${k}`);
    for (const k of ["updated", "deactivated", "reactivated"]) used.add(`admin.accounts.done.${k}`);
    for (const k of distributionErrorKeys) used.add(k);
    for (const k of ratingCodeErrorKeys) used.add(k);
    for (const k of ratingCodeRefusals) used.add(`survey.code.refused.${k}.title`).add(`survey.code.refused.${k}.body`);
    used.add("staff.nav.codes");
    used.add("staff.nav.anomalies");
    for (const k of gradeCategories) used.add(`anomalies.category.${k}`);
    for (const k of ["noCluster", "stale", "dateOrder"]) used.add(`anomalies.errors.${k}`);
    for (const k of ["a4", "a5", "call", "note"]) used.add(`distribution.poster.${k}`);
    const statusSrc = fs.readFileSync(path.join(root, "app/components/StatusPage.tsx"), "utf8");
    const reasons = [...statusSrc.matchAll(/^\s+"(\w+)",$/gm)].map((m) => m[1]!);
    expect(reasons.length).toBeGreaterThan(5);
    for (const r of [...reasons, "error"]) used.add(`status.${r}.title`).add(`status.${r}.body`);

    expect(used.size).toBeGreaterThan(50);
    for (const code of codes) {
      const missing = [...used].filter((k) => lookup(bundles[code]!, k) === undefined);
      expect({ code, missing }).toEqual({ code, missing: [] });
    }
  });
});
