// Prints a signed kiosk link for a service-hall tablet (until the office gets a page for it):
//   npm run kiosk:link -- --unit D13 [--kiosk hall-1] [--survey satisfaction-2026] [--base https://rate.example.gov.cn]
// The link allows one response per visit instead of one per device; it is bound to the survey and
// the unit, and stops working when SESSION_SECRET changes (data/session-secret by default).
import { parseArgs } from "node:util";
import { KIOSK_ID_PATTERN } from "../app/domain/kiosk";
import { kioskToken } from "../app/lib/kiosk-link.server";

const { values } = parseArgs({
  options: {
    unit: { type: "string" },
    kiosk: { type: "string", default: "hall-1" },
    survey: { type: "string", default: "satisfaction-2026" },
    base: { type: "string", default: `http://localhost:${process.env.PORT ?? 3000}` },
  },
});

if (!values.unit || !KIOSK_ID_PATTERN.test(values.kiosk)) {
  console.error("usage: npm run kiosk:link -- --unit CODE [--kiosk ID (letters, digits, - _)] [--survey SLUG] [--base URL]");
  process.exit(2);
}
const params = new URLSearchParams({ unit: values.unit, kiosk: kioskToken(values.survey, values.unit, values.kiosk) });
console.log(`${values.base.replace(/\/$/, "")}/s/${values.survey}?${params}`);
