// Anonymised raw responses of a period as CSV, for independent re-analysis by the office. Kept:
// response id, survey and version, unit, channel, language, the local day of submission,
// completion time in seconds, quality flags, whether and why it does not count, and every
// five-grade and choice answer. Left out: device, network hash, kiosk visit, exact times and free
// text (citizens sometimes write names and telephone numbers into comments).
import { stringify } from "csv-stringify/sync";
import type { CommentDetail } from "#app/domain/comment-detail";
import { unitReaderOrder } from "#app/domain/comment-order";
import { exclusionReason, type MethodParams } from "#app/domain/scoring";
import { responseTally } from "#app/domain/tally";
import { localDate } from "#app/domain/working-days";
import { db, sqlIdList } from "#app/lib/db.server";
import { commentOrderKey } from "#app/lib/signing.server";
import type { PeriodRecord } from "#app/models/period.server";

/** One answer of a response with the response's columns (one row for a response without answers). */
interface Row {
  id: number;
  slug: string;
  version: number;
  unitCode: string;
  unitKind: string;
  channel: string;
  lang: string;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  questionKey: string | null;
  questionKind: string | null;
  grade: number | null;
  notApplicable: number | null;
  choice: string | null;
}

/** Responses read (and written out) per statement. */
const RESPONSES_PER_READ = 1000;

/** Narrows the export to one survey (its results page) and to some units (a unit's own staff). */
export interface ResponseFilter {
  surveyId?: number;
  unitIds?: readonly number[] | null;
  /**
   * "day" (unit staff): no response_id column, the newest day first and within a day the rows in
   * a keyed order that is not that of submission, so no row can be matched to the citizen served
   * at a given minute (app/domain/comment-detail.ts, comment-order.ts). The office gets "full".
   */
  detail?: CommentDetail;
}

export function responsesCsvStream(period: PeriodRecord, params: MethodParams, filter: ResponseFilter = {}): ReadableStream<Uint8Array> {
  const where = [
    filter.surveyId !== undefined ? ` AND r.surveyId = ${Number(filter.surveyId)}` : "",
    filter.unitIds ? ` AND r.unitId IN ${sqlIdList(filter.unitIds)}` : "",
  ].join("");
  const withIds = (filter.detail ?? "full") === "full";
  const encoder = new TextEncoder();

  // The reader pulls: a chunk is written only when it wants one, and a reader that went away
  // ends the read.
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    pull() {
      wake?.();
      wake = undefined;
    },
    cancel() {
      cancelled = true;
      wake?.();
      wake = undefined;
    },
  });
  /** Queues `text`; resolves once the reader wants more, false when it went away. */
  const push = async (text: string): Promise<boolean> => {
    if (cancelled) return false;
    controller.enqueue(encoder.encode(text));
    while (!cancelled && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (wake = resolve));
    return !cancelled;
  };

  // One read transaction on a connection of its own: the export reads while submissions keep
  // being written, and it sees one consistent state of the database from its first row to its last.
  const exported = db().snapshot(async (sql) => {
    const questions = await sql.all<{ key: string; kind: string }>(
      `SELECT DISTINCT q.key, q.kind, s.id, q.position FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId
       WHERE s.periodId = ? AND q.kind <> 'text'${filter.surveyId !== undefined ? ` AND s.id = ${Number(filter.surveyId)}` : ""} ORDER BY s.id, q.position`,
      period.id,
    );
    const keys = [...new Set(questions.map((q) => q.key))];
    const flags = new Map<number, string[]>();
    for (const f of await sql.all<{ id: number; flag: string }>(
      `SELECT f.responseId AS id, f.flag FROM ResponseFlag f JOIN Response r ON r.id = f.responseId WHERE r.periodId = ?${where} ORDER BY f.flag`,
      period.id,
    )) {
      flags.set(f.id, [...(flags.get(f.id) ?? []), f.flag]);
    }
    // The responses' order: by id for the office; for unit readers the keyed order (newest day
    // first). A response's rows stay together either way.
    let ids: number[];
    if (withIds) {
      ids = await sql.pluck<number>(`SELECT r.id FROM Response r WHERE r.periodId = ?${where} ORDER BY r.id`, period.id);
    } else {
      const responses = await sql.all<{ id: number; submittedAt: string }>(`SELECT r.id, r.submittedAt FROM Response r WHERE r.periodId = ?${where}`, period.id);
      ids = unitReaderOrder(responses, { day: (r) => localDate(new Date(r.submittedAt)), responseId: (r) => r.id, key: commentOrderKey() }).map((r) => r.id);
    }
    const header = [...(withIds ? ["response_id"] : []), "survey", "version", "unit_code", "unit_kind", "channel", "lang", "submitted_on", "seconds", "sent_after_seconds", "flags", "counted", "exclusion", ...keys];
    if (!(await push("\uFEFF" + stringify([header])))) return;

    const line = (group: Row[]) => {
      const { id, slug, version, unitCode, unitKind, channel, lang, submittedAt, startedAt, finishedAt } = group[0]!;
      const answers = new Map<string, string>();
      const grades: { questionKey: string; core: boolean; grade: number | null }[] = [];
      for (const r of group) {
        const { questionKey: key, questionKind: qkind, grade, notApplicable: na, choice } = r;
        if (!key || !qkind) continue;
        if (qkind === "grade_core" || qkind === "grade_diagnostic") {
          answers.set(key, na ? "na" : String(grade));
          grades.push({ questionKey: key, core: qkind === "grade_core", grade: na ? null : grade });
        } else if (choice !== null) {
          answers.set(key, qkind === "multiple" ? (JSON.parse(choice) as string[]).join(" ") : choice);
        }
      }
      const f = flags.get(id) ?? [];
      const submitted = new Date(submittedAt);
      const t = responseTally({ submittedAt: submitted, flags: f, channel, period, answers: grades });
      const reason = exclusionReason(t.flags ? t.flags.split(",") : [], t.k, params);
      return [
        ...(withIds ? [id] : []),
        slug,
        version,
        unitCode,
        unitKind,
        channel,
        lang,
        localDate(submitted),
        startedAt ? Math.round((submitted.getTime() - new Date(startedAt).getTime()) / 1000) : "",
        // How long the rating waited on the phone (the outbox) between send and receipt.
        finishedAt ? Math.round((submitted.getTime() - new Date(finishedAt).getTime()) / 1000) : "",
        f.join(" "),
        reason ? "no" : "yes",
        reason ?? "",
        ...keys.map((k) => answers.get(k) ?? ""),
      ];
    };

    for (let i = 0; i < ids.length; i += RESPONSES_PER_READ) {
      const part = ids.slice(i, i + RESPONSES_PER_READ);
      const rows = await sql.all<Row>(
        `SELECT r.id, s.slug, v.version, u.code AS unitCode, u.kind AS unitKind, r.channel, r.lang, r.submittedAt, r.startedAt, r.finishedAt,
           q.key AS questionKey, q.kind AS questionKind, a.grade, a.notApplicable, a.choice
         FROM Response r JOIN Survey s ON s.id = r.surveyId JOIN SurveyVersion v ON v.id = r.surveyVersionId JOIN Unit u ON u.id = r.unitId
         LEFT JOIN Answer a ON a.responseId = r.id LEFT JOIN Question q ON q.id = a.questionId AND q.kind <> 'text'
         WHERE r.id IN ${sqlIdList(part)} ORDER BY r.id`,
      );
      const groups = new Map<number, Row[]>();
      for (const r of rows) {
        const group = groups.get(r.id);
        if (group) group.push(r);
        else groups.set(r.id, [r]);
      }
      const out = part.flatMap((id) => {
        const group = groups.get(id);
        return group ? [line(group)] : [];
      });
      if (!(await push(stringify(out)))) return;
    }
  });
  void exported.then(
    () => {
      if (!cancelled) controller.close();
    },
    (error: unknown) => {
      if (!cancelled) controller.error(error);
    },
  );
  return stream;
}
