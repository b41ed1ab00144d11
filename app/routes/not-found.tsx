import { data } from "react-router";
import type { Route } from "./+types/not-found";
import { StatusPage } from "#app/components/StatusPage";

// Every unknown address gets the translated 404 page (and the i18n middleware runs for it).
export function loader() {
  throw data({ reason: "unknown_page" }, { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
