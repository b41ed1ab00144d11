// Whether a survey can be answered now, and for which units. Used by the citizen pages
// (to pick the page and status code) and by the submission service (to refuse late posts).

export type Availability = "open" | "draft" | "closed" | "not_yet_open" | "ended";

export function surveyAvailability(
  survey: { status: string; opensAt: Date | null; closesAt: Date | null },
  now: Date,
): Availability {
  if (survey.status === "draft") return "draft";
  if (survey.status !== "open") return "closed";
  if (survey.opensAt && now < survey.opensAt) return "not_yet_open";
  if (survey.closesAt && now >= survey.closesAt) return "ended";
  return "open";
}

/** HTTP status for a survey page that cannot be answered. */
export function availabilityStatus(a: Availability): number {
  switch (a) {
    case "open":
      return 200;
    case "draft":
      return 404; // not published: do not reveal more than an unknown survey would
    case "not_yet_open":
      return 403;
    case "closed":
    case "ended":
      return 410;
  }
}

export const targetModes = ["all", "kind", "units"] as const;

export function surveyAppliesTo(
  survey: { targetMode: string; targetKind: string | null; targetUnitIds: readonly number[] },
  unit: { id: number; kind: string; active: boolean },
): boolean {
  if (!unit.active) return false;
  if (survey.targetMode === "all") return unit.kind !== "region";
  if (survey.targetMode === "kind") return unit.kind === survey.targetKind;
  return survey.targetUnitIds.includes(unit.id);
}
