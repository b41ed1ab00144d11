// Evaluation periods: their dates, status (draft → open → closed) and the parameters of the
// scoring method. Closing is in app/services/snapshots.server.ts, because it freezes figures.
import { type MethodParams, paramsOf } from "#app/domain/scoring";
import { parseId } from "#app/domain/ids";
import { getDb } from "#app/lib/db.server";
import { logFor } from "#app/lib/log.server";

export interface PeriodRecord {
  id: number;
  code: string;
  names: Record<string, string>;
  startsOn: Date;
  endsOn: Date;
  status: string;
  params: MethodParams;
  closedAt: Date | null;
}

export async function getPeriod(idOrCode: string | number): Promise<PeriodRecord | null> {
  const db = await getDb();
  const key = String(idOrCode);
  const id = parseId(key);
  const p = await db.evaluationPeriod.findFirst({
    where: id !== null ? { OR: [{ id }, { code: key }] } : { code: key },
    orderBy: { id: "asc" },
  });
  return p && toPeriod(p);
}

export async function listPeriods(): Promise<PeriodRecord[]> {
  const db = await getDb();
  return (await db.evaluationPeriod.findMany({ orderBy: { startsOn: "desc" } })).map(toPeriod);
}

export function toPeriod(p: { id: number; code: string; names: unknown; startsOn: Date; endsOn: Date; status: string; params: unknown; closedAt: Date | null }): PeriodRecord {
  return {
    id: p.id,
    code: p.code,
    names: p.names as Record<string, string>,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    status: p.status,
    params: paramsOf(p.params),
    closedAt: p.closedAt,
  };
}


export class PeriodChangeError extends Error {
  constructor(public readonly code: "code_taken" | "not_draft" | "closed") {
    super(code);
  }
}

export async function createPeriod(
  input: { code: string; names: Record<string, string>; startsOn: Date; endsOn: Date },
  actorId: number,
): Promise<PeriodRecord> {
  const db = await getDb();
  if (await db.evaluationPeriod.findUnique({ where: { code: input.code } })) throw new PeriodChangeError("code_taken");
  return db.$transaction(async (tx) => {
    const p = await tx.evaluationPeriod.create({ data: { ...input, status: "draft" } });
    await tx.auditEvent.create({
      data: { actorId, action: "period.create", targetType: "period", targetId: String(p.id), data: { code: p.code } },
    });
    return toPeriod(p);
  });
}

/** draft → open: surveys of the period can be answered and counted from now on. */
export async function openPeriod(period: PeriodRecord, actorId: number) {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const { count } = await tx.evaluationPeriod.updateMany({ where: { id: period.id, status: "draft" }, data: { status: "open" } });
    if (count !== 1) throw new PeriodChangeError("not_draft");
    await tx.auditEvent.create({ data: { actorId, action: "period.open", targetType: "period", targetId: String(period.id) } });
  });
  logFor("periods").info({ event: "period.open", period: period.code, actorId }, "period opened");
}

/**
 * New method parameters. For an open period they apply at once (the figures are live); for a
 * closed one they reach the served numbers only with a new recompute snapshot.
 */
export async function setPeriodParams(period: PeriodRecord, params: MethodParams, actorId: number) {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    await tx.evaluationPeriod.update({ where: { id: period.id }, data: { params } });
    await tx.auditEvent.create({
      data: { actorId, action: "period.params", targetType: "period", targetId: String(period.id), data: { before: period.params, after: params } },
    });
  });
}

/** The period a page shows: the one asked for, else the latest that is not a draft. */
export async function periodForPage(code: string | null, now = new Date()): Promise<PeriodRecord | null> {
  if (code) return getPeriod(code);
  return currentPeriod(await listPeriods(), now);
}

/**
 * The period a page shows when none is asked for: the one under way today, else the latest that
 * has begun, else the earliest to come; drafts only when there is nothing else. A period set up
 * for years ahead (or a test's far-off one) never takes the place of the current one.
 */
export function currentPeriod<P extends Pick<PeriodRecord, "status" | "startsOn" | "endsOn">>(periods: readonly P[], now: Date): P | null {
  const live = [...periods].filter((p) => p.status !== "draft").sort((a, b) => b.startsOn.getTime() - a.startsOn.getTime());
  const t = now.getTime();
  return (
    live.find((p) => p.startsOn.getTime() <= t && t <= p.endsOn.getTime()) ??
    live.find((p) => p.startsOn.getTime() <= t) ??
    live.at(-1) ??
    periods[0] ??
    null
  );
}
