import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-unit";
import { AuditTrail } from "#app/components/AuditTrail";
import { ConfirmStep } from "#app/components/ConfirmStep";
import { ErrorSummary, NameFields, SelectField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { parseUnitNames, parseUnitParent } from "#app/domain/admin-forms";
import { carriedFields, needsConfirmation } from "#app/domain/confirmation";
import { nameField } from "#app/domain/form-helpers";
import { pickText } from "#app/domain/localized";
import { canAdminUnits, canMoveUnits } from "#app/domain/permissions";
import { activationProblem, flattenTree, parentKindAllowed, subtreeIds, UNIT_NAME_MAX } from "#app/domain/unit-tree";
import { useT } from "#app/i18n/context";
import { formatDateTime, formatNumber } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage, languages } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { auditTrail } from "#app/models/audit.server";
import { actorNames } from "#app/models/audit-log.server";
import { moveUnit, renameUnit, setUnitActive, type UnitChange } from "#app/models/unit-admin.server";
import { listUnits } from "#app/models/unit.server";
import { deactivationConsequence } from "#app/services/safeguards.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

const doneKeys = ["created", "renamed", "moved", "deactivated", "reactivated"] as const;

// One unit: rename it (every language), move it in the tree, deactivate or reactivate it, and its
// change history.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = await requireAllowed(request, canAdminUnits);
  const lng = getLocale(context);
  const units = await listUnits();
  const unit = units.find((u) => u.code === params.code);
  if (!unit) throw data({ reason: "unknown_page" }, { status: 404 });
  const name = (u: { names: Record<string, string> }) => pickText(u.names, lng, defaultLanguage);
  const below = subtreeIds(unit.id, units);
  const trail = await auditTrail("unit", unit.id);
  const actors = await actorNames(trail.map((e) => e.actorId));
  const done = new URL(request.url).searchParams.get("done");
  return {
    canMove: canMoveUnits(actor),
    title: `${name(unit)} (${unit.code})`,
    unit: { code: unit.code, kind: unit.kind, names: unit.names, active: unit.active, name: name(unit) },
    parent: unit.parentCode ? { code: unit.parentCode, name: name(units.find((u) => u.id === unit.parentId)!) } : null,
    // Where it may go: active units of a fitting kind, outside its own subtree (the server checks
    // the same rules again).
    parents: flattenTree(units)
      .filter(({ unit: u }) => u.active && !below.has(u.id) && parentKindAllowed(unit.kind, u.kind))
      .map(({ unit: u, depth }) => ({ value: u.code, label: `${"– ".repeat(depth)}${u.code} · ${name(u)}` })),
    done: (doneKeys as readonly string[]).includes(done ?? "") ? done : null,
    trail: trail.map((e) => ({ id: e.id, action: e.action, at: formatDateTime(e.at, lng), actor: actors.get(e.actorId ?? 0) ?? null, note: e.note, data: e.data })),
  };
}

type Intent = "rename" | "move" | "deactivate" | "reactivate";

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, actor } = await requireAllowed(request, canAdminUnits);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  if (intent === "move" && !canMoveUnits(actor)) {
    return data({ intent, errors: { parentCode: "admin.errors.moveAdminOnly" } as Record<string, string>, values: {} as Record<string, string> }, { status: 403 });
  }
  const code = params.code;
  const refused = (result: Extract<UnitChange, { ok: false }>, values: Record<string, string>) =>
    data({ intent, errors: { [result.field]: result.error } as Record<string, string>, values }, { status: result.error === "errors.notFound" ? 404 : 409 });
  let result: UnitChange;
  let values: Record<string, string> = {};
  if (intent === "rename") {
    const parsed = parseUnitNames(form, languages.map((l) => l.code));
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    values = parsed.values;
    result = await renameUnit(code, parsed.data.names, user.id);
  } else if (intent === "move") {
    const parsed = parseUnitParent(form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    values = parsed.values;
    result = await moveUnit(code, parsed.data.parentCode, user.id);
  } else if (intent === "deactivate" || intent === "reactivate") {
    // Deactivating takes a unit out of citizens' reach: the first post says what stops and what
    // stays, and changes nothing. One that cannot be deactivated (unknown, inactive, with active
    // sub-units) is refused at once, as before.
    const units = intent === "deactivate" ? await listUnits() : [];
    const unit = units.find((u) => u.code === code);
    if (unit && activationProblem(unit, false, units) === null && needsConfirmation(form)) {
      const lng = getLocale(context);
      const facts = await deactivationConsequence(unit);
      return {
        intent,
        errors: {} as Record<string, string>,
        values,
        confirm: {
          fields: carriedFields(form),
          openComplaints: facts.openComplaints,
          tablets: facts.tablets,
          surveys: facts.surveys.map((sv) => pickText(sv.titles, lng, defaultLanguage) || sv.slug),
        },
      };
    }
    result = await setUnitActive(code, intent === "reactivate", user.id);
  } else {
    return data({ intent, errors: { form: "errors.invalidChoice" } as Record<string, string>, values }, { status: 400 });
  }
  if (!result.ok) return refused(result, values);
  const done = { rename: "renamed", move: "moved", deactivate: "deactivated", reactivate: "reactivated" }[intent];
  return redirect(`/staff/units/${encodeURIComponent(code)}${result.changed ? `?done=${done}` : ""}`, { status: 303 });
}

export default function UnitAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { unit } = loaderData;
  const errorsFor = (intent: Intent): Record<string, string> => (actionData?.intent === intent ? actionData.errors : {});
  const valuesFor = (intent: Intent): Record<string, string> => (actionData?.intent === intent ? actionData.values : {});
  const renameErrors = errorsFor("rename");
  const renameValues = valuesFor("rename");
  const moveErrors = errorsFor("move");
  const activeErrors = { ...errorsFor("deactivate"), ...errorsFor("reactivate") };
  const nameLabel = (language: string) => t("admin.units.nameIn", { language });
  const confirm = actionData && "confirm" in actionData ? actionData.confirm : null;
  return (
    <article className="staff">
      <p>
        <Link to="/staff/units">{t("admin.units.back")}</Link>
      </p>
      <h1>
        {unit.name} <span dir="ltr">({unit.code})</span>
      </h1>
      {loaderData.done ? (
        <p className="notice" role="status">
          {t(`admin.units.done.${loaderData.done}`)}
        </p>
      ) : null}
      {confirm ? (
        <ConfirmStep
          title={t("admin.units.confirm.title", { unit: unit.name })}
          fields={confirm.fields}
          confirmLabel={t("admin.units.confirm.submit")}
          cancelTo={`/staff/units/${encodeURIComponent(unit.code)}`}
        >
          <ul>
            <li>{t("admin.units.confirm.citizens")}</li>
            <li>{t("admin.units.confirm.complaints", { open: formatNumber(confirm.openComplaints, lng) })}</li>
            <li>
              {confirm.surveys.length === 0 ? t("admin.units.confirm.noSurveys") : t("admin.units.confirm.surveys", { surveys: formatNumber(confirm.surveys.length, lng) })}
              {confirm.surveys.length > 0 ? (
                <ul>
                  {confirm.surveys.map((title) => (
                    <li key={title}>{title}</li>
                  ))}
                </ul>
              ) : null}
            </li>
            {confirm.tablets > 0 ? <li>{t("admin.units.confirm.tablets", { tablets: formatNumber(confirm.tablets, lng) })}</li> : null}
            <li>{t("admin.units.confirm.kept")}</li>
          </ul>
        </ConfirmStep>
      ) : null}
      {actionData?.errors.form ? (
        <p className="error-summary" role="alert">
          {t(actionData.errors.form)}
        </p>
      ) : null}
      <dl className="credentials">
        <dt>{t("admin.units.kind")}</dt>
        <dd>{t(`admin.units.kinds.${unit.kind}`)}</dd>
        <dt>{t("admin.units.parent")}</dt>
        <dd>{loaderData.parent ? `${loaderData.parent.name} (${loaderData.parent.code})` : t("admin.units.noParent")}</dd>
        <dt>{t("admin.units.state")}</dt>
        <dd>{unit.active ? t("admin.units.active") : t("admin.units.inactive")}</dd>
      </dl>

      <section className="panel" aria-labelledby="unit-rename">
        <h2 id="unit-rename">{t("admin.units.rename")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="rename" />
          <ErrorSummary
            items={languages.filter((l) => renameErrors[nameField(l.code)]).map((l) => ({ name: nameField(l.code), label: nameLabel(l.name) }))}
          />
          <NameFields
            label={(l) => nameLabel(l.name)}
            values={Object.fromEntries(languages.map((l) => [nameField(l.code), renameValues[nameField(l.code)] ?? unit.names[l.code] ?? ""]))}
            errors={renameErrors}
            maxLength={UNIT_NAME_MAX}
          />
          <button type="submit" className="button">
            {t("admin.units.renameSubmit")}
          </button>
        </Form>
      </section>

      {unit.kind === "region" || !loaderData.canMove ? null : (
        <section className="panel" aria-labelledby="unit-move">
          <h2 id="unit-move">{t("admin.units.move")}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="move" />
            <SelectField
              name="parent"
              label={t("admin.units.newParent")}
              value={valuesFor("move").parent ?? loaderData.parent?.code ?? ""}
              error={moveErrors.parent}
              help={t("admin.units.moveHelp")}
              options={loaderData.parents}
            />
            <button type="submit" className="button">
              {t("admin.units.moveSubmit")}
            </button>
          </Form>
        </section>
      )}

      <section className="panel" aria-labelledby="unit-state">
        <h2 id="unit-state">{unit.active ? t("admin.units.deactivate") : t("admin.units.reactivate")}</h2>
        <p className="hint" id="unit-state-help">
          {unit.active ? t("admin.units.deactivateHelp") : t("admin.units.reactivateHelp")}
        </p>
        {activeErrors.active ? (
          <p className="error-summary" role="alert" id="unit-state-error">
            {t(activeErrors.active)}
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value={unit.active ? "deactivate" : "reactivate"} />
          <button
            type="submit"
            className="button"
            aria-describedby={activeErrors.active ? "unit-state-help unit-state-error" : "unit-state-help"}
          >
            {unit.active ? t("admin.units.deactivateSubmit") : t("admin.units.reactivateSubmit")}
          </button>
        </Form>
      </section>

      <AuditTrail title={t("admin.units.history")} events={loaderData.trail} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
