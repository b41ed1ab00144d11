// Staff sessions: the cookie carries only a random session id; sessions live in the database with
// an expiry. Guards throw, as the first line of a loader or action, so no staff route can forget.
import { createCookie, data, redirect } from "react-router";
import { type Actor, canManageScores } from "#app/domain/permissions";
import { actorOf, type StaffUserRecord, SESSION_HOURS, userForSession } from "#app/models/staff.server";
import { getEnv } from "./env.server";
import { pageUrl } from "./page-url";

const env = getEnv();

export const sessionCookie = createCookie("sid", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1",
  maxAge: SESSION_HOURS * 3600,
  secrets: [env.SESSION_SECRET],
});

export async function sessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export async function getStaffUser(request: Request): Promise<StaffUserRecord | null> {
  const id = await sessionId(request);
  return id ? userForSession(id) : null;
}

/** The signed-in staff user; otherwise a redirect to the login page (and back afterwards). */
export async function requireStaff(request: Request, opts: { allowPasswordChange?: boolean } = {}) {
  const user = await getStaffUser(request);
  const url = new URL(request.url);
  if (!user) {
    // Back to the page, also when a data request (/page.data) found the session gone.
    throw redirect(`/staff/login?${new URLSearchParams({ next: pageUrl(url) })}`);
  }
  if (user.mustChangePassword && !opts.allowPasswordChange) throw redirect("/staff/password");
  return { user, actor: actorOf(user) };
}

/** The signed-in evaluation office; anyone else gets 403. */
export async function requireOffice(request: Request) {
  const staff = await requireStaff(request);
  if (!canManageScores(staff.actor)) throw data({ reason: "forbidden" }, { status: 403 });
  return staff;
}

/** The signed-in staff user whom `can` allows (e.g. canAdminUnits); anyone else gets 403. */
export async function requireAllowed(request: Request, can: (actor: Actor) => boolean) {
  const staff = await requireStaff(request);
  if (!can(staff.actor)) throw data({ reason: "forbidden" }, { status: 403 });
  return staff;
}
