// The anomalies page's inputs: the overview's filters (a GET form) and the unit-day's action on
// clusters (one post: which clusters, exclude or reinstate with which flag, and why). Messages are
// translation keys; on an error the typed values are returned so the form shows them again.
import { z } from "zod/mini";
import { firstErrors, type FormLike, formString as str } from "./form-helpers";
import { parseId } from "./ids";
import { isCalendarDate } from "./working-days";

/** A local day as the URL and the filters carry it: YYYY-MM-DD naming a real calendar day. */
export const isDay = isCalendarDate;

export interface OverviewQuery {
  unit: string;
  from: string;
  to: string;
  page: number;
}

/** The overview's filters from the query string: what is valid, and an error per invalid field. */
export function parseOverviewQuery(search: URLSearchParams): { query: OverviewQuery; values: Record<string, string>; errors: Record<string, string> } {
  const values = { unit: (search.get("unit") ?? "").trim(), from: (search.get("from") ?? "").trim(), to: (search.get("to") ?? "").trim() };
  const errors: Record<string, string> = {};
  if (values.from && !isDay(values.from)) errors.from = "errors.date";
  if (values.to && !isDay(values.to)) errors.to = "errors.date";
  if (!errors.from && !errors.to && values.from && values.to && values.to < values.from) errors.to = "anomalies.errors.dateOrder";
  const page = parseId(search.get("page") ?? "") ?? 1;
  return {
    query: { unit: values.unit, from: errors.from || errors.to ? "" : values.from, to: errors.from || errors.to ? "" : values.to, page },
    values,
    errors,
  };
}

/** Cluster keys as the unit-day page names them (never a network hash). */
export const CLUSTER_KEY = /^(all|no-network|network-[1-9][0-9]{0,5})$/;
/** More clusters than this in one post is not a form the page drew. */
const MAX_CLUSTERS = 1000;

export const clusterIntents = ["exclude", "reinstate"] as const;
export type ClusterIntent = (typeof clusterIntents)[number];

export interface ClusterForm {
  intent: ClusterIntent;
  clusters: string[];
  /** The flag to lift (reinstate only). */
  flag: string | null;
  reason: string;
  /** The highest response id of the day when the page was drawn. */
  seen: number;
}

export type ParsedClusterForm =
  | { ok: true; data: ClusterForm }
  | { ok: false; errors: Record<string, string>; values: { reason: string; flag: string; clusters: string[] } };

/**
 * The unit-day's action. `reinstatable` lists the flags the office may lift. Every field is checked
 * before anything is done: one invalid field refuses the whole post.
 */
export function parseClusterForm(form: FormLike, reinstatable: readonly string[]): ParsedClusterForm {
  const clusters = form.getAll("cluster").filter((v): v is string => typeof v === "string");
  const values = { reason: str(form, "reason"), flag: str(form, "flag"), clusters: clusters.slice(0, MAX_CLUSTERS).filter((c) => CLUSTER_KEY.test(c)) };
  const intent = str(form, "intent");
  const schema = z.object({
    intent: z.enum(clusterIntents, { error: "errors.invalidChoice" }),
    clusters: z
      .array(z.string().check(z.regex(CLUSTER_KEY, { error: "errors.invalidChoice" })))
      .check(z.minLength(1, { error: "anomalies.errors.noCluster" }), z.maxLength(MAX_CLUSTERS, { error: "errors.invalidChoice" })),
    reason: z.string().check(z.minLength(3, { error: "errors.reasonRequired" }), z.maxLength(500, { error: "errors.tooLong" })),
    flag: intent === "reinstate" ? z.enum(reinstatable as [string, ...string[]], { error: "errors.invalidChoice" }) : z.string(),
    seen: z.string().check(z.refine((v) => parseId(v) !== null, { error: "anomalies.errors.stale" })),
  });
  const r = schema.safeParse({ intent, clusters, reason: values.reason, flag: values.flag, seen: str(form, "seen") });
  if (!r.success) {
    const errors = firstErrors(r.error.issues);
    // Not fields of their own: said above the form.
    for (const key of ["intent", "seen"]) {
      if (errors[key]) {
        errors.form ??= errors[key]!;
        delete errors[key];
      }
    }
    return { ok: false, errors, values };
  }
  return {
    ok: true,
    data: { intent: r.data.intent, clusters: [...new Set(r.data.clusters)], flag: r.data.intent === "reinstate" ? r.data.flag : null, reason: r.data.reason, seen: parseId(r.data.seen)! },
  };
}
