// Creates a signed kiosk link for a service-hall tablet, stores it (KioskLink) and prints it:
//   npm run kiosk:link -- --unit D13 [--label "Hall tablet 1"] [--kiosk hall-1] [--survey satisfaction-2026] [--base https://rate.example.gov.cn]
// The link allows one response per visit instead of one per device; it is bound to the survey and
// the unit, and stops working when it is revoked (the office's page /staff/surveys/<slug>/distribution
// lists, creates and revokes them) or when SESSION_SECRET changes (data/session-secret by default).
// Without --kiosk the link gets a random id; naming an id that exists for the same survey and unit
// prints that link again.
import { parseArgs } from "node:util";
import { kioskUrl } from "../app/domain/distribution";
import { KIOSK_ID_PATTERN } from "../app/domain/kiosk";
import { surveyAppliesTo } from "../app/domain/survey-availability";
import { kioskToken } from "../app/lib/kiosk-link.server";
import { createKioskLink, findKioskLink } from "../app/models/kiosk-link.server";
import { getSurveyBySlug } from "../app/models/survey.server";
import { findUnitByCode } from "../app/models/unit.server";
import { closeDatabases } from "../app/lib/db.server";

const { values } = parseArgs({
  options: {
    unit: { type: "string" },
    kiosk: { type: "string" },
    label: { type: "string" },
    survey: { type: "string", default: "satisfaction-2026" },
    base: { type: "string", default: process.env.PUBLIC_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}` },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const label = (values.label ?? values.kiosk ?? "tablet").trim();
if (!values.unit || (values.kiosk !== undefined && !KIOSK_ID_PATTERN.test(values.kiosk)) || label.length < 2 || label.length > 60) {
  fail('usage: npm run kiosk:link -- --unit CODE [--label "TEXT" (2 to 60 characters)] [--kiosk ID (letters, digits, - _)] [--survey SLUG] [--base URL]');
}
const survey = await getSurveyBySlug(values.survey);
if (!survey) fail(`No survey "${values.survey}".`);
const unit = await findUnitByCode(values.unit);
if (!unit || !surveyAppliesTo(survey, unit)) fail(`The survey "${survey.slug}" does not apply to an active unit "${values.unit}".`);

let kioskId = values.kiosk;
const existing = kioskId ? await findKioskLink(kioskId) : null;
if (existing) {
  if (existing.surveyId !== survey.id || existing.unitId !== unit.id || existing.revokedAt) {
    fail(`The kiosk id "${kioskId}" is taken (another survey or unit, or revoked): choose another, or leave --kiosk out.`);
  }
} else {
  ({ kioskId } = await createKioskLink({ surveyId: survey.id, surveySlug: survey.slug, unitId: unit.id, unitCode: unit.code, label, actorId: null, kioskId }));
}
if (!survey.kioskEnabled) console.error(`Note: kiosk mode is off for "${survey.slug}"; the link is refused until it is turned on.`);
console.log(kioskUrl(values.base, survey.slug, unit.code, kioskToken(survey.slug, unit.code, kioskId!)));
// Ends the data layer's connections (on PostgreSQL an open pool would keep the process waiting).
await closeDatabases();
