import { data, redirect } from "react-router";
import type { Route } from "./+types/complaints-filed";
import type { PageHandle } from "#app/components/PageFrame";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { filedCookie } from "#app/lib/complaint-cookies.server";

export const handle: PageHandle = { page: "complaint" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The answer carries the secret code: never stored by a cache (a shared computer's Back button, a
// proxy), and the cookie that carried it is cleared by this very answer, so it is shown once.
const ONCE = { "Cache-Control": "no-store" };

export function headers({ loaderHeaders }: Route.HeadersArgs) {
  return loaderHeaders;
}

// Shows the reference and the secret code of the complaint just filed (see complaints-new), once.
export async function loader({ request, context }: Route.LoaderArgs) {
  const value = (await filedCookie.parse(request.headers.get("cookie"))) as string | null;
  const [reference, code] = typeof value === "string" ? value.split("|") : [];
  if (!reference || !code) throw redirect("/track", { headers: ONCE });
  const cleared = await filedCookie.serialize("", { maxAge: 0, expires: new Date(0) });
  return data({ title: getT(context)("complaint.filed.title"), reference, code }, { headers: { ...ONCE, "Set-Cookie": cleared } });
}

export default function Filed({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <section className="panel thanks" aria-labelledby="filed-title">
      <h1 id="filed-title">{t("complaint.filed.title")}</h1>
      <p>{t("complaint.filed.body")}</p>
      <dl className="credentials">
        <dt>{t("complaint.field.reference")}</dt>
        <dd dir="ltr" data-testid="reference">
          {loaderData.reference}
        </dd>
        <dt>{t("complaint.field.code")}</dt>
        <dd dir="ltr" data-testid="code">
          {loaderData.code}
        </dd>
      </dl>
      <p className="notice">{t("complaint.filed.keep")}</p>
      <p>
        <a className="button primary" href={`/track?ref=${encodeURIComponent(loaderData.reference)}`}>
          {t("complaint.filed.track")}
        </a>
      </p>
    </section>
  );
}
