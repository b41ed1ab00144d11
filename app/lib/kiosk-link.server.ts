import { kioskPayload } from "#app/domain/kiosk";
import { sign } from "./signing.server";

/** The signed `kiosk` parameter of a service-hall tablet link. */
export function kioskToken(surveySlug: string, unitCode: string, kioskId: string): string {
  return sign("kiosk", kioskPayload(surveySlug, unitCode, kioskId));
}
