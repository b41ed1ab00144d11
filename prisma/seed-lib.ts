// Idempotent seeding: reference data (units, the 2026 period, the demo survey) is created when
// missing and never overwritten, so re-running the seed cannot undo an administrator's changes.
// Demo responses are added only to a survey that has none, from a fixed pseudo-random sequence,
// so every install gets the same numbers.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { formatReference } from "../app/domain/complaint-form";
import { calendarFrom, dueAfterWorkingDays, localDate } from "../app/domain/working-days";
import type { Prisma, PrismaClient } from "../app/generated/prisma/client";
import { hashPassword } from "../app/lib/password.server";
import { prng } from "../app/lib/prng";
import { hopKey } from "../app/lib/device.server";
import { submitResponse } from "../app/models/response.server";
import { db as appDb } from "../app/lib/db.server";
import { dialect } from "../app/lib/db/dialect.server";
import { rebuildTallies } from "../app/models/score-tally.server";
import { type AnswerableSurvey, getSurveyBySlug } from "../app/models/survey.server";
import { listUnits } from "../app/models/unit.server";
import { calendarDays, counties, deadlineRules, departments, period2026, region } from "./seed-data/region";
import { demoComments, questions, survey } from "./seed-data/survey";

/** Bulk inserts run longer than Prisma's 5 s default on a loaded PostgreSQL server. */
const BULK_TRANSACTION = { timeout: 300_000, maxWait: 60_000 };

/** Rows were inserted with ids of their own: the table's next id follows them (PostgreSQL). */
async function syncIds(table: string) {
  await appDb().write((tx) => dialect().syncIdSequence(tx, table));
}

export async function seedStructure(db: PrismaClient) {
  const regionUnit = await db.unit.upsert({
    where: { code: region.code },
    update: {},
    create: { code: region.code, kind: "region", names: region.names, sortOrder: 0 },
  });
  let order = 1;
  for (const c of counties) {
    await db.unit.upsert({
      where: { code: c.code },
      update: {},
      create: { code: c.code, kind: "county", names: c.names, parentId: regionUnit.id, sortOrder: order++ },
    });
  }
  for (const d of departments) {
    await db.unit.upsert({
      where: { code: d.code },
      update: {},
      create: { code: d.code, kind: "department", names: d.names, parentId: regionUnit.id, sortOrder: order++ },
    });
  }
  const period = await db.evaluationPeriod.upsert({
    where: { code: period2026.code },
    update: {},
    create: { ...period2026, status: "open" },
  });
  const s = await db.survey.upsert({
    where: { slug: survey.slug },
    update: {},
    create: {
      slug: survey.slug,
      periodId: period.id,
      status: "open",
      currentVersion: 1,
      titles: survey.titles,
      intros: survey.intros,
      targetMode: "all",
      opensAt: period2026.startsOn,
      closesAt: period2026.endsOn,
    },
  });
  const version = await db.surveyVersion.upsert({
    where: { surveyId_version: { surveyId: s.id, version: 1 } },
    update: {},
    create: { surveyId: s.id, version: 1, publishedAt: period2026.startsOn },
  });
  let position = 1;
  for (const q of questions) {
    await db.question.upsert({
      where: { surveyVersionId_key: { surveyVersionId: version.id, key: q.key } },
      update: {},
      create: {
        surveyVersionId: version.id,
        key: q.key,
        kind: q.kind,
        required: q.required,
        allowNa: q.allowNa,
        position: position++,
        texts: q.texts,
        helps: q.helps,
        options: q.options,
        maxLength: q.maxLength,
        step: q.kind === "grade_core" ? 1 : 2,
      },
    });
  }
  for (const day of calendarDays) {
    await db.calendarDay.upsert({ where: { date: day.date }, update: {}, create: day });
  }
  for (const rule of deadlineRules) {
    await db.deadlineRule.upsert({ where: { type: rule.type }, update: {}, create: rule });
  }
  return { surveyId: s.id, versionId: version.id, periodId: period.id };
}


/**
 * The languages demo citizens answer in: every locale folder (as app/i18n/languages.ts reads
 * them; that module uses Vite's import.meta.glob, which scripts cannot), the default language
 * three times as often as each other one.
 */
function demoLanguages(): string[] {
  const dir = path.resolve(import.meta.dirname, "../locales");
  const metas = fs
    .readdirSync(dir)
    .filter((code) => fs.existsSync(path.join(dir, code, "meta.json")))
    .map((code) => ({ code, ...(JSON.parse(fs.readFileSync(path.join(dir, code, "meta.json"), "utf8")) as { order: number; default?: boolean }) }))
    .sort((a, b) => a.order - b.order);
  return metas.flatMap((m) => (m.default ? [m.code, m.code, m.code] : [m.code]));
}

// Demo responses span a fixed stretch of the 2026 period, so every install gets the same data.
const DEMO_FROM = new Date("2026-01-05T09:00:00+08:00");
const DEMO_UNTIL = new Date("2026-11-20T18:00:00+08:00");

export async function seedDemoResponses(db: PrismaClient, opts: { count?: number } = {}) {
  const count = opts.count ?? 4000;
  const s = await db.survey.findUniqueOrThrow({ where: { slug: survey.slug } });
  if ((await db.response.count({ where: { surveyId: s.id } })) > 0) return 0;
  const version = await db.surveyVersion.findUniqueOrThrow({
    where: { surveyId_version: { surveyId: s.id, version: s.currentVersion } },
    include: { questions: { orderBy: { position: "asc" } } },
  });
  const units = await db.unit.findMany({ where: { kind: { not: "region" } }, orderBy: { code: "asc" } });
  const rand = prng(2026);
  const start = DEMO_FROM.getTime();
  const span = DEMO_UNTIL.getTime() - start;
  // Each unit has its own level of service, so the demo dashboards show real differences.
  const level = new Map(units.map((u, i) => [u.id, 3.2 + ((i * 7) % 11) / 8]));
  const langs = demoLanguages();

  const first = ((await db.response.aggregate({ _max: { id: true } }))._max.id ?? 0) + 1;
  const responses: Prisma.ResponseCreateManyInput[] = [];
  const answers: Prisma.AnswerCreateManyInput[] = [];
  const flags: Prisma.ResponseFlagCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const id = first + i;
    const unit = units[Math.floor(rand() * units.length)]!;
    const submittedAt = new Date(start + Math.floor(rand() * span));
    const seconds = 25 + Math.floor(rand() * 200);
    const lang = langs[Math.floor(rand() * langs.length)]!;
    const channelDraw = rand();
    const channel = channelDraw < 0.5 ? "qr" : channelDraw < 0.85 ? "link" : "kiosk";
    responses.push({
      id,
      surveyId: s.id,
      surveyVersionId: version.id,
      periodId: s.periodId,
      unitId: unit.id,
      lang,
      channel,
      startedAt: new Date(submittedAt.getTime() - seconds * 1000),
      submittedAt,
      deviceId: channel === "kiosk" ? null : `demo${Math.floor(rand() * 1e12).toString(36)}`,
      visitId: channel === "kiosk" ? `demo-visit-${id}` : null,
    });
    const flagDraw = rand();
    if (flagDraw < 0.02) flags.push({ responseId: id, flag: "too_fast" });
    else if (flagDraw < 0.025) flags.push({ responseId: id, flag: "honeypot" });
    const base = level.get(unit.id)!;
    for (const q of version.questions) {
      if (q.kind === "grade_core" || q.kind === "grade_diagnostic") {
        if (!q.required && rand() < 0.3) continue;
        if (q.allowNa && rand() < 0.06) {
          answers.push({ responseId: id, questionId: q.id, grade: null, notApplicable: true });
          continue;
        }
        const grade = Math.max(1, Math.min(5, Math.round(base + (rand() - 0.5) * 2.6)));
        answers.push({ responseId: id, questionId: q.id, grade, notApplicable: false });
      } else if (q.kind === "single" && rand() < 0.8) {
        const opts = (q.options as { value: string }[]).map((o) => o.value);
        answers.push({ responseId: id, questionId: q.id, choice: opts[Math.floor(rand() * rand() * opts.length)]! });
      } else if (q.kind === "multiple" && rand() < 0.6) {
        const opts = (q.options as { value: string }[]).map((o) => o.value).filter(() => rand() < 0.5);
        if (opts.length) answers.push({ responseId: id, questionId: q.id, choice: JSON.stringify(opts) });
      } else if (q.kind === "text" && rand() < 0.08) {
        const list = demoComments[lang] ?? demoComments["zh-Hans"]!;
        answers.push({ responseId: id, questionId: q.id, text: list[Math.floor(rand() * list.length)]! });
      }
    }
  }
  await db.$transaction(async (tx) => {
    for (let i = 0; i < responses.length; i += 500) {
      await tx.response.createMany({ data: responses.slice(i, i + 500) });
    }
    for (let i = 0; i < answers.length; i += 2000) {
      await tx.answer.createMany({ data: answers.slice(i, i + 2000) });
    }
    if (flags.length) await tx.responseFlag.createMany({ data: flags });
  }, BULK_TRANSACTION);
  await syncIds("Response");
  // createMany bypasses the submission path, so the scores' tallies are rebuilt from the rows.
  await rebuildTallies(s.periodId);
  return count + (await seedStuffingEpisode());
}

/**
 * One stuffing episode, so the office's anomalies page and the exclusion counts are not empty:
 * on 12 November someone gives 北湖市's neighbour C06 the worst grades from 30 fresh browsers on one
 * network within 9 seconds, some with the same comment, and one browser rates four units in four
 * minutes. It goes through the real write path, so the checks flag it as they would live.
 */
async function seedStuffingEpisode(): Promise<number> {
  const survey = (await getSurveyBySlug("satisfaction-2026")) as AnswerableSurvey | null;
  if (!survey?.version) return 0;
  const units = new Map((await listUnits()).map((u) => [u.code, u.id]));
  const core = survey.version.questions.filter((q) => q.kind === "grade_core");
  const comment = survey.version.questions.find((q) => q.kind === "text");
  const worst = Object.fromEntries(core.map((q) => [q.key, { kind: "grade" as const, grade: 1 }]));
  const start = new Date("2026-11-12T10:02:00+08:00").getTime();
  let added = 0;
  const submit = async (unit: string, at: number, over: Partial<Parameters<typeof submitResponse>[0]>) => {
    const unitId = units.get(unit);
    if (!unitId) return;
    const result = await submitResponse({
      survey,
      unitId,
      lang: "zh-Hans",
      channel: "link",
      deviceId: null,
      visitId: null,
      ipHash: null,
      startedAt: new Date(at - 20_000),
      submittedAt: new Date(at),
      flags: [],
      answers: worst,
      ...over,
    });
    if (result.ok) added += 1;
  };
  for (let i = 0; i < 30; i++) {
    const copied = comment && i % 3 === 0 ? { [comment.key]: { kind: "text" as const, text: "窗口工作人员态度恶劣，办事拖拉推诿" } } : {};
    await submit("C06", start + i * 300, { deviceId: `demo-episode-${i}`, ipHash: "demo-episode-network", answers: { ...worst, ...copied } });
  }
  const hopper = hopKey("demo-episode-hopper", survey.id);
  for (const [i, unit] of ["C02", "C03", "C04", "C05"].entries()) {
    await submit(unit, start + 3600_000 + i * 60_000, { deviceId: `demo-hopper-${unit}`, ipHash: `demo-hopper-net-${i}`, hopKey: hopper });
  }
  return added;
}

/** The demo accounts, one per role (README). Demo only: never seeded with SEED_MODE=structure. */
export const DEMO_PASSWORD = "demo-password-2026";
export const demoAccounts = [
  { username: "office", displayName: "绩效办 Evaluation office", role: "office", unit: null },
  { username: "admin", displayName: "系统管理员 Administrator", role: "admin", unit: null },
  { username: "integrity", displayName: "廉政审查 Integrity reviewer", role: "integrity_reviewer", unit: null },
  { username: "c01.head", displayName: "北湖市 单位负责人", role: "unit_head", unit: "C01" },
  { username: "c01.staff", displayName: "北湖市 工作人员", role: "unit_staff", unit: "C01" },
  { username: "d12.staff", displayName: "税务局 工作人员", role: "unit_staff", unit: "D12" },
] as const;

export async function seedDemoAccounts(db: PrismaClient) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const a of demoAccounts) {
    if (await db.staffUser.findUnique({ where: { username: a.username } })) continue;
    const unit = a.unit ? await db.unit.findUniqueOrThrow({ where: { code: a.unit } }) : null;
    await db.staffUser.create({
      data: {
        username: a.username,
        displayName: a.displayName,
        passwordHash,
        // Demo accounts keep the documented password; accounts made any other way must change theirs.
        mustChangePassword: false,
        grants: { create: [{ role: a.role, unitId: unit?.id ?? null }] },
      },
    });
  }
}

/**
 * Demo complaints with their full case history, so the complaint index C and the dashboards have
 * something to show: most answered on time, some late, some still open, a few rejected, some
 * rated by the citizen. Deterministic like the demo responses. Their access codes are random and
 * not printed: file a complaint in the app to follow one.
 */
export async function seedDemoComplaints(db: PrismaClient, opts: { count?: number; now?: Date } = {}) {
  if ((await db.complaint.count()) > 0) return 0;
  const count = opts.count ?? 600;
  const now = opts.now ?? DEMO_UNTIL;
  const units = await db.unit.findMany({ where: { kind: { not: "region" } }, orderBy: { code: "asc" } });
  const calendar = calendarFrom(await db.calendarDay.findMany());
  const rules = new Map((await db.deadlineRule.findMany()).map((r) => [r.type, r]));
  const rand = prng(12345);
  const types = ["inaction", "slow_action", "slow_action", "misconduct", "attitude", "attitude", "integrity", "other"] as const;
  const texts = [
    "窗口工作人员让我改天再来，但没有说明原因。",
    "申请材料提交三周了还没有答复。",
    "Xizmetchi telefon'gha jawab bermidi. / خىزمەتچى تېلېفونغا جاۋاب بەرمىدى.",
    "The office was closed during posted opening hours.",
  ];
  const start = DEMO_FROM.getTime();
  const span = now.getTime() - start - 3 * 86_400_000;
  const complaints: Prisma.ComplaintCreateManyInput[] = [];
  const events: Prisma.ComplaintEventCreateManyInput[] = [];
  const first = ((await db.complaint.aggregate({ _max: { id: true } }))._max.id ?? 0) + 1;
  const year = Number(localDate(now).slice(0, 4));
  for (let i = 0; i < count; i++) {
    const id = first + i;
    const unit = units[Math.floor(rand() * units.length)]!;
    const type = types[Math.floor(rand() * types.length)]!;
    const rule = rules.get(type) ?? { acceptDays: 1, replyDays: 5 };
    const submittedAt = new Date(start + Math.floor(rand() * span));
    const acceptDueAt = dueAfterWorkingDays(submittedAt, rule.acceptDays, calendar);
    const replyDueAt = dueAfterWorkingDays(submittedAt, rule.replyDays, calendar);
    const event = (at: Date, action: string, fromStatus: string | null, toStatus: string | null, note: string | null, visibility = "public") =>
      events.push({ complaintId: id, at, actorKind: action === "submit" || action === "rate" ? "citizen" : "staff", action, fromStatus, toStatus, note, visibility });
    event(submittedAt, "submit", null, "submitted", null);
    const draw = rand();
    const hours = (h: number, from = submittedAt) => new Date(from.getTime() + h * 3_600_000);
    let status = "submitted";
    let acceptedAt: Date | null = null;
    let repliedAt: Date | null = null;
    let closedAt: Date | null = null;
    let publicReply: string | null = null;
    let rejectReason: string | null = null;
    let handlingGrade: number | null = null;
    let ratedAt: Date | null = null;
    if (draw < 0.05) {
      status = "rejected";
      rejectReason = "不属于本单位职责范围，请向12345热线反映。";
      closedAt = hours(20);
      event(closedAt, "reject", "submitted", "rejected", rejectReason);
    } else if (replyDueAt.getTime() < now.getTime() || draw < 0.85) {
      acceptedAt = hours(2 + rand() * 20);
      event(acceptedAt, "accept", "submitted", "accepted", null);
      // Most units answer in time; slower ones (by code) are late more often.
      const lateness = (units.indexOf(unit) % 5) * 0.06;
      const replyAt = rand() < 0.78 - lateness ? new Date(acceptedAt.getTime() + rand() * (replyDueAt.getTime() - acceptedAt.getTime()) * 0.9) : hours(24 + rand() * 96, replyDueAt);
      if (replyAt.getTime() < now.getTime()) {
        repliedAt = replyAt;
        publicReply = "已核实并整改，感谢您的监督。";
        status = "replied";
        event(repliedAt, "reply", "accepted", "replied", publicReply);
        if (rand() < 0.7) {
          handlingGrade = Math.max(1, Math.min(5, Math.round(3.6 + (rand() - 0.5) * 3 - lateness * 4)));
          ratedAt = hours(30 + rand() * 48, repliedAt);
          if (ratedAt.getTime() > now.getTime()) {
            handlingGrade = null;
            ratedAt = null;
          } else event(ratedAt, "rate", "replied", "replied", null);
        }
        if (rand() < 0.6) {
          closedAt = hours(72 + rand() * 72, repliedAt);
          if (closedAt.getTime() < now.getTime()) {
            event(closedAt, "close", "replied", "closed", null);
            status = "closed";
          } else closedAt = null;
        }
      } else status = "accepted";
    }
    complaints.push({
      id,
      reference: formatReference(year, i + 1),
      accessCodeHash: `demo-${randomUUID()}`,
      unitId: unit.id,
      subjectUnitId: unit.id,
      type,
      status,
      description: texts[Math.floor(rand() * texts.length)]!,
      lang: "zh-Hans",
      anonymous: true,
      consentAt: submittedAt,
      submittedAt,
      acceptDueAt,
      replyDueAt,
      acceptedAt,
      repliedAt,
      closedAt,
      publicReply,
      rejectReason,
      handlingGrade,
      ratedAt,
    });
  }
  await db.$transaction(async (tx) => {
    for (let i = 0; i < complaints.length; i += 500) await tx.complaint.createMany({ data: complaints.slice(i, i + 500) });
    for (let i = 0; i < events.length; i += 1000) await tx.complaintEvent.createMany({ data: events.slice(i, i + 1000) });
    await tx.referenceCounter.upsert({ where: { year }, create: { year, last: count }, update: { last: count } });
  }, BULK_TRANSACTION);
  await syncIds("Complaint");
  return count;
}
