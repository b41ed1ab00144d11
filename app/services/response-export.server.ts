// Anonymised raw responses of a period as CSV, for independent re-analysis by the office. Kept:
// response id, survey and version, unit, channel, language, the local day of submission,
// completion time in seconds, quality flags, whether and why it does not count, and every
// five-grade and choice answer. Left out: device, network hash, kiosk visit, exact times and free
// text (citizens sometimes write names and telephone numbers into comments).
import Database from "better-sqlite3";
import { stringify } from "csv-stringify/sync";
import type { CommentDetail } from "#app/domain/comment-detail";
import { unitReaderOrder } from "#app/domain/comment-order";
import { exclusionReason, type MethodParams } from "#app/domain/scoring";
import { responseTally } from "#app/domain/tally";
import { localDate } from "#app/domain/working-days";
import { sqlIdList } from "#app/lib/db.server";
import { getEnv } from "#app/lib/env.server";
import { commentOrderKey } from "#app/lib/signing.server";
import type { PeriodRecord } from "#app/models/period.server";

type Row = [number, string, number, string, string, string, string, string, string | null, string | null, string | null, string | null, number | null, number | null, string | null];

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
  // A connection of its own: the export reads while submissions keep being written, and it sees
  // one consistent state of the database from its first row to its last.
  const db = new Database(getEnv().DATABASE_FILE, { readonly: true, fileMustExist: true });
  db.exec("BEGIN");
  const questions = db
    .prepare(
      `SELECT DISTINCT q.key, q.kind FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId
       WHERE s.periodId = ? AND q.kind <> 'text'${filter.surveyId !== undefined ? ` AND s.id = ${Number(filter.surveyId)}` : ""} ORDER BY s.id, q.position`,
    )
    .all(period.id) as { key: string; kind: string }[];
  const keys = [...new Set(questions.map((q) => q.key))];
  const flags = new Map<number, string[]>();
  for (const f of db
    .prepare(`SELECT f.responseId AS id, f.flag FROM ResponseFlag f JOIN Response r ON r.id = f.responseId WHERE r.periodId = ?${where} ORDER BY f.flag`)
    .iterate(period.id) as Iterable<{ id: number; flag: string }>) {
    flags.set(f.id, [...(flags.get(f.id) ?? []), f.flag]);
  }
  const withIds = (filter.detail ?? "full") === "full";
  // Unit readers: the responses' order is decided here by the keyed order (newest day first), and
  // SQLite follows it by position. A response's rows stay together either way.
  let order = "r.id";
  if (!withIds) {
    const responses = db.prepare(`SELECT r.id, r.submittedAt FROM Response r WHERE r.periodId = ?${where}`).all(period.id) as { id: number; submittedAt: string }[];
    const ordered = unitReaderOrder(responses, { day: (r) => localDate(new Date(r.submittedAt)), responseId: (r) => r.id, key: commentOrderKey() });
    const position = new Map(ordered.map((r, i) => [r.id, i]));
    db.function("unit_reader_position", { deterministic: true }, (id) => position.get(Number(id)) ?? null);
    order = "unit_reader_position(r.id), r.id";
  }
  const rows = db
    .prepare(
      `SELECT r.id, s.slug, v.version, u.code, u.kind, r.channel, r.lang, r.submittedAt, r.startedAt, r.finishedAt, q.key, q.kind, a.grade, a.notApplicable, a.choice
       FROM Response r JOIN Survey s ON s.id = r.surveyId JOIN SurveyVersion v ON v.id = r.surveyVersionId JOIN Unit u ON u.id = r.unitId
       LEFT JOIN Answer a ON a.responseId = r.id LEFT JOIN Question q ON q.id = a.questionId AND q.kind <> 'text'
       WHERE r.periodId = ?${where} ORDER BY ${order}`,
    )
    .raw()
    .iterate(period.id) as IterableIterator<Row>;
  const encoder = new TextEncoder();
  const header = [...(withIds ? ["response_id"] : []), "survey", "version", "unit_code", "unit_kind", "channel", "lang", "submitted_on", "seconds", "sent_after_seconds", "flags", "counted", "exclusion", ...keys];
  let pending: Row | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    rows.return?.();
    db.exec("COMMIT");
    db.close();
  };
  const line = (group: Row[]) => {
    const [id, slug, version, code, kind, channel, lang, submittedAt, startedAt, finishedAt] = group[0]!;
    const answers = new Map<string, string>();
    const grades: { questionKey: string; core: boolean; grade: number | null }[] = [];
    for (const r of group) {
      const [, , , , , , , , , , key, qkind, grade, na, choice] = r;
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
      code,
      kind,
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
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + stringify([header])));
    },
    pull(controller) {
      try {
        const out: unknown[][] = [];
        while (out.length < 2000) {
          const group: Row[] = [];
          if (pending) group.push(pending);
          pending = undefined;
          let next = rows.next();
          while (!next.done && (group.length === 0 || next.value[0] === group[0]![0])) {
            group.push(next.value);
            next = rows.next();
          }
          if (!next.done) pending = next.value;
          if (group.length) out.push(line(group));
          if (next.done) {
            if (out.length) controller.enqueue(encoder.encode(stringify(out)));
            finish();
            controller.close();
            return;
          }
        }
        controller.enqueue(encoder.encode(stringify(out)));
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    cancel() {
      finish();
    },
  });
}
