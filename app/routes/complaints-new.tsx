import { useRef, useState } from "react";
import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/complaints-new";
import type { PageHandle } from "#app/components/PageFrame";
import { ErrorSummary, FieldMessages, TextAreaField, TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { UnitChooser } from "#app/components/UnitChooser";
import { complaintTypes } from "#app/domain/case-flow";
import {
  COMPLAINT_FIELD_ORDER,
  COMPLAINT_LIMITS,
  type ComplaintField,
  type ComplaintValues,
  parseComplaint,
  readComplaintValues,
} from "#app/domain/complaint-form";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readDeviceId } from "#app/lib/device.server";
import { clientAddress, readForm } from "#app/lib/http.server";
import { filedCookie } from "#app/lib/complaint-cookies.server";
import { hashAddress } from "#app/lib/signing.server";
import { fileComplaint } from "#app/models/complaint.server";
import { getEnv } from "#app/lib/env.server";
import { checkPhotos, reencode, removePhotos, writePhotos } from "#app/lib/photos.server";
import { PHOTO_LIMITS } from "#app/domain/image-type";
import { findUnitByCode, findUnitsByName, listUnits } from "#app/models/unit.server";
import { RATING_REFERENCE_DAYS, RATING_REFERENCE_FIELD } from "#app/domain/rating-followup";
import { citedRating, ratingReferenceOf } from "#app/services/rating-followup.server";

export const handle: PageHandle = { page: "complaint" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// Without a unit (or with an unknown one) the citizen first picks it with the same finder as the
// survey; the form then names the unit, with a link to choose another (which leaves any rating
// reference behind: a complaint cites a rating of the unit it is about, or none).
export async function loader({ request, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const code = new URL(request.url).searchParams.get("unit")?.trim() || null;
  const unit = code ? await findUnitByCode(code) : null;
  const title = getT(context)("complaint.new.title");
  if (!unit || !unit.active || unit.kind === "region") {
    const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100).trim();
    const all = (await listUnits({ activeOnly: true })).filter((u) => u.kind !== "region");
    const units = q ? findUnitsByName(all, q, lng, all.length) : all;
    return {
      step: "choose" as const,
      title,
      // A deactivated unit takes no new complaints: the citizen is told so and picks another.
      unknownCode: unit && !unit.active ? null : code,
      inactiveName: unit && !unit.active ? pickText(unit.names, lng, defaultLanguage) : null,
      units: units.map((u) => ({ code: u.code, kind: u.kind, name: pickText(u.names, lng, defaultLanguage) })),
    };
  }
  // Opened from the thanks page after a dissatisfied rating: the form carries the signed reference
  // and says so; a reference that no longer holds (expired, forged, another unit) is said to have
  // lapsed, and the complaint is filed without it.
  const token = ratingReferenceOf(new URL(request.url).searchParams.get(RATING_REFERENCE_FIELD));
  const rating = token ? ((await citedRating(token, unit)) ? { token } : { token: null }) : null;
  return { step: "form" as const, title, unit: { code: unit.code, name: pickText(unit.names, lng, defaultLanguage) }, rating };
}

export async function action({ request, context }: Route.ActionArgs) {
  const lng = getLocale(context);
  const form = await readForm(request, getEnv().MAX_UPLOAD_BYTES);
  const values = readComplaintValues(form);
  const ratingToken = ratingReferenceOf(form.get(RATING_REFERENCE_FIELD));
  const files = (form as FormData).getAll?.("photos").filter((f): f is File => f instanceof File && f.size > 0) ?? [];
  const parsed = parseComplaint(values);
  const photoCheck = await checkPhotos(files);
  const errors: Record<string, string> = parsed.ok ? {} : { ...(parsed.errors as Record<string, string>) };
  if (!photoCheck.ok) errors.photos = photoCheck.error;
  const unit = parsed.ok ? await findUnitByCode(parsed.data.unit) : null;
  if (parsed.ok && (!unit || !unit.active || unit.kind === "region")) errors.unit = unit && !unit.active ? "unit.inactive.refused" : "errors.chooseUnit";
  // Browsers cannot refill a file field: when photos came with a refused form, say so.
  const photosAgain = files.length > 0;
  if (!parsed.ok || !photoCheck.ok || Object.keys(errors).length) {
    return data({ errors, values, photosAgain, rating: ratingToken }, { status: 400 });
  }
  // Nothing is written before every check passed; a photo that cannot be decoded is refused too.
  let processed;
  try {
    processed = await Promise.all(photoCheck.photos.map(reencode));
  } catch {
    return data({ errors: { photos: "errors.photoType" } as Record<string, string>, values, photosAgain, rating: ratingToken }, { status: 400 });
  }
  // Checked again on the way in; a reference that does not hold files the complaint without it.
  const cited = ratingToken ? await citedRating(ratingToken, unit!) : null;
  const names = await writePhotos(processed);
  let filed;
  try {
    filed = await fileComplaint({
      input: parsed.data,
      unitId: unit!.id,
      lang: lng,
      deviceId: readDeviceId(request),
      ipHash: hashAddress(clientAddress(request)),
      responseId: cited?.responseId ?? null,
      photos: processed.map((p, i) => ({ storedName: names[i]!, contentType: p.contentType, size: p.data.length, width: p.width, height: p.height })),
    });
  } catch (error) {
    await removePhotos(names); // no file without its complaint
    throw error;
  }
  // Committed: now show the reference and the secret code, once, after a redirect (so a reload
  // does not file it twice).
  return redirect("/complaints/filed", { status: 303, headers: { "Set-Cookie": await filedCookie.serialize(`${filed.reference}|${filed.code}`) } });
}

export default function NewComplaint({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  if (loaderData.step === "choose") {
    return (
      <UnitChooser
        title={loaderData.title}
        heading={t("complaint.new.chooseUnit")}
        action="/complaints/new"
        units={loaderData.units}
        unknownCode={loaderData.unknownCode}
        inactiveName={loaderData.inactiveName}
      />
    );
  }
  return <ComplaintForm unit={loaderData.unit} rating={loaderData.rating} actionData={actionData} />;
}

function ComplaintForm({
  unit,
  rating,
  actionData,
}: {
  unit: { code: string; name: string };
  /** From a rating's thanks page: its reference (null when it no longer holds). */
  rating: { token: string | null } | null;
  actionData: Route.ComponentProps["actionData"];
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string> | null>(null);
  const errors: Record<string, string> = clientErrors ?? actionData?.errors ?? {};
  const values: ComplaintValues = actionData?.values ?? {};
  // What was posted back after a refusal, else what the page was drawn with.
  const ratingToken = actionData ? actionData.rating : (rating?.token ?? null);

  const labels: Record<ComplaintField, string> = {
    unit: t("complaint.field.unit"),
    type: t("complaint.field.type"),
    description: t("complaint.field.description"),
    when: t("complaint.field.when"),
    where: t("complaint.field.where"),
    anonymous: t("complaint.field.anonymous"),
    contactName: t("complaint.field.contactName"),
    contactPhone: t("complaint.field.contactPhone"),
    contactEmail: t("complaint.field.contactEmail"),
    consent: t("complaint.field.consent"),
  };
  const err = (f: ComplaintField) => errors[f];

  function validateInBrowser(event: React.FormEvent<HTMLFormElement>) {
    const result = parseComplaint(readComplaintValues(new FormData(event.currentTarget)));
    if (!result.ok) {
      event.preventDefault();
      setClientErrors(result.errors as Record<string, string>);
    } else {
      setClientErrors(null);
    }
  }

  return (
    <article className="survey">
      <h1>{t("complaint.new.title")}</h1>
      <p className="intro">{t("complaint.new.lead")}</p>
      {rating ? (
        <p className="notice" data-testid="rating-note">
          {rating.token ? t("complaint.rating.linked", { unit: unit.name }) : t("complaint.rating.lapsed", { days: RATING_REFERENCE_DAYS })}
        </p>
      ) : null}
      {/* After a refused submission (a refused photo too, with or without scripts) the focus goes to this list. */}
      <ErrorSummary
        items={[
          ...COMPLAINT_FIELD_ORDER.filter((f) => errors[f]).map((f) => ({ name: f, label: labels[f] })),
          ...(errors.photos ? [{ name: "photos", label: t("complaint.field.photos") }] : []),
        ]}
        focusOn={errors}
      />
      <Form method="post" encType="multipart/form-data" noValidate ref={formRef} onSubmit={validateInBrowser}>
        <div className={`question${err("unit") ? " has-error" : ""}`}>
          <p className="q-label">
            {t("complaint.field.unit")}
          </p>
          <FieldMessages name="unit" error={err("unit")} />
          <p className="unit-name">
            {unit.name}
          </p>
          <input type="hidden" name="unit" value={unit.code} />
          {ratingToken ? <input type="hidden" name={RATING_REFERENCE_FIELD} value={ratingToken} /> : null}
          <a href="/complaints/new">{t("complaint.new.otherUnit")}</a>
        </div>

        <fieldset className={`question${err("type") ? " has-error" : ""}`}>
          <legend className="q-label">{labels.type}</legend>
          <FieldMessages name="type" error={err("type")} />
          <div className="choices">
            {complaintTypes.map((type, i) => (
              <label key={type} className="choice">
                <input
                  type="radio"
                  name="type"
                  value={type}
                  id={i === 0 ? "type" : undefined}
                  defaultChecked={values.type === type}
                  aria-invalid={err("type") ? true : undefined}
                  aria-describedby={err("type") ? "type-error" : undefined}
                />
                <span>
                  {t(`complaint.type.${type}`)}
                  <span className="choice-hint">{t(`complaint.typeHint.${type}`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="question">
          <TextAreaField
            name="description"
            label={labels.description}
            help={t("complaint.help.description", { min: COMPLAINT_LIMITS.descriptionMin, max: COMPLAINT_LIMITS.descriptionMax })}
            error={err("description")}
            errorVars={{ min: COMPLAINT_LIMITS.descriptionMin, max: COMPLAINT_LIMITS.descriptionMax }}
            value={values.description}
            maxLength={COMPLAINT_LIMITS.descriptionMax}
          />
          <TextField name="when" label={labels.when} help={t("complaint.help.when")} error={err("when")} errorVars={{ max: COMPLAINT_LIMITS.when }} value={values.when} maxLength={COMPLAINT_LIMITS.when} />
          <TextField name="where" label={labels.where} help={t("complaint.help.where")} error={err("where")} errorVars={{ max: COMPLAINT_LIMITS.where }} value={values.where} maxLength={COMPLAINT_LIMITS.where} />
        </div>

        <div className={`question${errors.photos ? " has-error" : ""}`}>
          <label htmlFor="photos" className="q-label">
            {t("complaint.field.photos")}
          </label>
          <FieldMessages
            name="photos"
            help={t("complaint.help.photos", { count: PHOTO_LIMITS.maxCount, mb: PHOTO_LIMITS.maxBytes / 1024 / 1024 })}
            error={errors.photos}
            errorVars={{ count: PHOTO_LIMITS.maxCount, mb: PHOTO_LIMITS.maxBytes / 1024 / 1024, mp: PHOTO_LIMITS.maxPixels / 1_000_000 }}
          />
          {actionData?.photosAgain ? (
            <p className="notice" role="status">
              {t("complaint.photosAgain")}
            </p>
          ) : null}
          <input
            id="photos"
            name="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-invalid={errors.photos ? true : undefined}
            aria-describedby={errors.photos ? "photos-help photos-error" : "photos-help"}
          />
        </div>

        <fieldset className={`question${err("anonymous") || err("contactPhone") || err("contactEmail") ? " has-error" : ""}`}>
          <legend className="q-label">{labels.anonymous}</legend>
          <FieldMessages name="anonymous" help={t("complaint.help.contact")} error={err("anonymous")} />
          <div className="choices">
            {(["yes", "no"] as const).map((v, i) => (
              <label key={v} className="choice">
                <input
                  type="radio"
                  name="anonymous"
                  value={v}
                  id={i === 0 ? "anonymous" : undefined}
                  defaultChecked={values.anonymous === v}
                  aria-invalid={err("anonymous") ? true : undefined}
                  aria-describedby={err("anonymous") ? "anonymous-help anonymous-error" : "anonymous-help"}
                />
                <span>{t(`complaint.anonymous.${v}`)}</span>
              </label>
            ))}
          </div>
          <TextField name="contactName" label={labels.contactName} error={err("contactName")} errorVars={{ max: COMPLAINT_LIMITS.name }} value={values.contactName} maxLength={COMPLAINT_LIMITS.name} autoComplete="name" />
          <TextField name="contactPhone" type="tel" inputMode="tel" label={labels.contactPhone} error={err("contactPhone")} value={values.contactPhone} maxLength={20} autoComplete="tel" />
          <TextField name="contactEmail" type="email" inputMode="email" label={labels.contactEmail} error={err("contactEmail")} value={values.contactEmail} maxLength={320} autoComplete="email" />
        </fieldset>

        <div className={`question${err("consent") ? " has-error" : ""}`}>
          <FieldMessages name="consent" error={err("consent")} />
          <label className="choice">
            <input
              type="checkbox"
              id="consent"
              name="consent"
              value="yes"
              defaultChecked={values.consent === "yes"}
              aria-invalid={err("consent") ? true : undefined}
              aria-describedby={err("consent") ? "consent-error" : undefined}
            />
            <span>{labels.consent}</span>
          </label>
        </div>

        <button type="submit" className="button primary submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("survey.submitting") : t("complaint.new.submit")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
