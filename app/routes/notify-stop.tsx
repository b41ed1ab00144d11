// "No more messages" (issue 13): the link at the foot of every notification e-mail. Opening it
// only asks (a mail scanner that follows links must not unsubscribe anyone); the button records
// the opt-out for that address, kept as a keyed hash. Messages already waiting are not sent.
import { data } from "react-router";
import type { Route } from "./+types/notify-stop";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { unsign } from "#app/lib/signing.server";
import { optOut } from "#app/models/notification.server";

export const handle: PageHandle = { page: "complaint" };

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

/** The contact hash a stop link names, or a translated 400 page for a link that is not ours. */
function readToken(token: unknown): { token: string; hash: string } {
  const hash = typeof token === "string" ? unsign("notify-stop", token) : null;
  if (!hash || !/^[A-Za-z0-9_-]{32}$/.test(hash)) throw data({ reason: "bad_request" }, { status: 400 });
  return { token: token as string, hash };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { token } = readToken(new URL(request.url).searchParams.get("t"));
  return { title: getT(context)("optOut.title"), token };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { hash } = readToken((await readForm(request)).get("t"));
  await optOut(hash, new Date());
  return { title: getT(context)("optOut.title"), done: true };
}

export default function NotifyStop({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="opt-out-title">
      <h1 id="opt-out-title">{t("optOut.title")}</h1>
      {actionData?.done ? (
        <p role="status">{t("optOut.done")}</p>
      ) : (
        <>
          <p>{t("optOut.body")}</p>
          <form method="post">
            <input type="hidden" name="t" value={loaderData.token} />
            <button type="submit" className="button primary">
              {t("optOut.confirm")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
