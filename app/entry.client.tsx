import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { HydratedRouter } from "react-router/dom";
import { I18N_SCRIPT_ID } from "./i18n/client-resources";
import { I18nProvider } from "./i18n/context";
import { directionOf } from "./i18n/languages";
import { createTranslator } from "./i18n/translator";

// The server embeds the page language's strings (see root.tsx), so the browser needs no extra
// request and no language detection: <html lang> is the truth.
const lng = document.documentElement.lang;
const bundle = JSON.parse(document.getElementById(I18N_SCRIPT_ID)?.textContent || "{}");
const i18n = { lng, dir: directionOf(lng), bundle, t: createTranslator(bundle) };

startTransition(() => {
  hydrateRoot(
    document,
    <I18nProvider value={i18n}>
      <StrictMode>
        <HydratedRouter />
      </StrictMode>
    </I18nProvider>,
  );
});
