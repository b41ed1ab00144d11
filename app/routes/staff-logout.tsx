import { redirect } from "react-router";
import type { Route } from "./+types/staff-logout";
import { sessionCookie, sessionId } from "#app/lib/staff-session.server";
import { deleteSession } from "#app/models/staff.server";

// Logging out is a post (a link could be triggered by another site); the session row is deleted.
export async function action({ request }: Route.ActionArgs) {
  const id = await sessionId(request);
  if (id) await deleteSession(id);
  return redirect("/staff/login", { status: 303, headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0 }) } });
}

export function loader() {
  return redirect("/staff");
}
