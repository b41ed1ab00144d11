import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("u/:code", "routes/unit.tsx"),
  route("s/:slug", "routes/survey.tsx"),
  route("s/:slug/thanks", "routes/survey-thanks.tsx"),
  route("complaints/new", "routes/complaints-new.tsx"),
  route("complaints/filed", "routes/complaints-filed.tsx"),
  route("track", "routes/track.tsx"),
  route("staff", "routes/staff-queue.tsx"),
  route("staff/overdue", "routes/staff-overdue.tsx"),
  route("staff/calendar", "routes/staff-calendar.tsx"),
  route("staff/login", "routes/staff-login.tsx"),
  route("staff/logout", "routes/staff-logout.tsx"),
  route("staff/password", "routes/staff-password.tsx"),
  route("staff/cases/:reference", "routes/staff-case.tsx"),
  route("staff/cases/:reference/photos/:photoId", "routes/staff-case-photo.ts"),
  route("api/v1/units", "routes/api.v1.units.ts"),
  route("api/v1/periods", "routes/api.v1.periods.ts"),
  route("api/v1/periods/:id/scores", "routes/api.v1.period-scores.ts"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
