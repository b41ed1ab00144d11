// The page's texts for the script (SurveyPageData.messages), with the same {{name}} placeholders
// as the locale files and the same interpolation as the components use.
import { interpolate, type Vars } from "#app/i18n/translator";

export type Messages = Partial<Record<string, string>>;

/** The text of a key in the page's language; the key itself when the page did not embed it. */
export function message(messages: Messages, key: string, vars?: Vars): string {
  const template = messages[key];
  return template === undefined ? key : interpolate(template, vars);
}
