import { Form, NavLink, Outlet } from "react-router";
import type { Route } from "./+types/staff-layout";
import { StatusPage } from "#app/components/StatusPage";
import { staffNav } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { requireStaff } from "#app/lib/staff-session.server";
import { unreadCount } from "#app/models/staff-notice.server";
import { unitIndex } from "#app/models/unit.server";

// The frame of every signed-in staff page: who is signed in, the pages their roles open, sign-out.
export async function loader({ request }: Route.LoaderArgs) {
  const { user, actor } = await requireStaff(request);
  const index = await unitIndex();
  return {
    displayName: user.displayName,
    unread: await unreadCount(user.id),
    nav: staffNav(actor, (id) => index.byId.get(id)?.code ?? null),
  };
}

export default function StaffLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <div className="staff-frame">
      <nav className="staff-nav" aria-label={t("staff.nav.label")}>
        <ul>
          {loaderData.nav.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {item.unitCode ? t(`staff.nav.${item.key}`, { code: item.unitCode }) : t(item.label ?? `staff.nav.${item.key}`)}
              </NavLink>
            </li>
          ))}
          <li>
            <NavLink to="/staff/inbox" data-unread={loaderData.unread}>
              {loaderData.unread > 0 ? t("staff.nav.inboxUnread", { count: loaderData.unread }) : t("staff.nav.inbox")}
            </NavLink>
          </li>
        </ul>
        <p className="staff-user">
          {t("staff.signedInAs", { name: loaderData.displayName })} · <NavLink to="/staff/password">{t("staff.password.title")}</NavLink>
        </p>
        <Form method="post" action="/staff/logout">
          <button type="submit" className="button">
            {t("staff.logout")}
          </button>
        </Form>
      </nav>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
