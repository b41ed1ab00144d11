import { useEffect } from "react";
import { useT } from "#app/i18n/context";
import {
  data,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
} from "react-router";
import { enhanceScriptUrl } from "virtual:enhance-script";
import type { Route } from "./+types/root";
import { LanguageSwitcher } from "./components/LanguageSwitcher";
import { hasNoScripts, isLeanPage, PageDescription, SiteFooter } from "./components/PageFrame";
import { StatusPage } from "./components/StatusPage";
import { I18N_SCRIPT_ID, serializeForScript } from "./i18n/client-resources";
import { getLocale, i18nextMiddleware, localeCookie } from "./i18n/i18next.server";
import { directionOf } from "./i18n/languages";
import { requestGuardMiddleware, responseHeadersMiddleware } from "./lib/http.server";
import { useNonce } from "./lib/nonce";
import stylesheet from "./styles/app.css?url";

export const middleware: Route.MiddlewareFunction[] = [responseHeadersMiddleware, i18nextMiddleware, requestGuardMiddleware];

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const headers = new Headers();
  // Remember an explicit choice so that the following pages keep it.
  // (The office's survey preview shows other languages without changing the office's own.)
  const search = new URL(request.url).searchParams;
  if (search.has("lng") && !search.has("preview")) {
    headers.append("Set-Cookie", await localeCookie.serialize(lng));
  }
  return data({ lng, dir: directionOf(lng) }, { headers });
}

export function Layout({ children }: { children: React.ReactNode }) {
  const { t, lng, dir, bundle } = useT();
  const nonce = useNonce();
  const matches = useMatches();
  const lean = isLeanPage(matches);
  const noScripts = hasNoScripts(matches);
  return (
    <html lang={lng} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <PageDescription />
        <Meta />
        <Links />
      </head>
      <body className={lean ? "lean" : undefined}>
        <a className="skip-link" href="#main">
          {t("nav.skipToContent")}
        </a>
        <header className="site-header">
          <a className="site-title" href={`/`}>
            {t("site.name")}
          </a>
          <LanguageSwitcher current={lng} />
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        {noScripts ? null : lean ? (
          // The rating's pages: no framework runtime, no hydration; their own small script.
          <script src={enhanceScriptUrl} defer nonce={nonce} />
        ) : (
          <>
            <script
              id={I18N_SCRIPT_ID}
              type="application/json"
              nonce={nonce}
              // The strings of this page's language, for hydration (see entry.client.tsx).
              dangerouslySetInnerHTML={{ __html: serializeForScript(bundle) }}
              suppressHydrationWarning
            />
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  useEffect(() => {
    // Lets end-to-end tests wait until the page is interactive.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <StatusPage error={error} />;
}
