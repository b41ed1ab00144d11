// Form fields as the server renders them: text people type takes its direction from the text
// itself (dir="auto"), so a Uyghur reason on a Chinese page, or a Chinese one on a Uyghur page,
// reads the right way round.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TextAreaField } from "#app/components/form-fields";
import { I18nProvider } from "#app/i18n/context";
import type { TFunction } from "#app/i18n/translator";

const render = (element: ReturnType<typeof createElement>) =>
  renderToStaticMarkup(createElement(I18nProvider, { value: { lng: "ug", dir: "rtl", t: ((key: string) => key) as TFunction, bundle: {} } }, element));

describe("TextAreaField", () => {
  it("lets typed text set its own direction, unless told otherwise", () => {
    expect(render(createElement(TextAreaField, { name: "reason", label: "Reason", value: "سەۋەب" }))).toMatch(/<textarea[^>]* dir="auto"/);
    expect(render(createElement(TextAreaField, { name: "code", label: "Code", dir: "ltr" }))).toMatch(/<textarea[^>]* dir="ltr"/);
  });
});
