// Text people typed (complaint texts, replies, notes, comments, reasons, names) is shown in its own
// direction and language whatever the page's: a Chinese reply on the Uyghur page must not end with
// its full stop on the left, nor a Uyghur comment on the Chinese page on the right. dir="auto"
// takes the direction from the first letter, as the text box it was typed in did (and keeps a
// date or number with no letters left to right); lang comes from the letters (text-language.ts),
// so screen readers and fonts pick the right language.
import { textLanguage } from "#app/domain/text-language";
import { useT } from "#app/i18n/context";

type Tag = "span" | "p" | "div" | "blockquote" | "dd" | "td";

export function UserText({
  text,
  stored,
  as: Element = "span",
  className,
  testId,
}: {
  text: string;
  /** The page language the text was typed on, when it was stored (Complaint.lang, Response.lang). */
  stored?: string | null;
  as?: Tag;
  className?: string;
  testId?: string;
}) {
  return (
    <Element dir="auto" lang={textLanguage(text, stored) ?? undefined} className={className} data-testid={testId}>
      {text}
    </Element>
  );
}

/** For staff: "Written in: Uyghur", in the page's language; nothing when the letters do not tell. */
export function WrittenIn({ text, stored }: { text: string; stored?: string | null }) {
  const { t } = useT();
  const lang = textLanguage(text, stored);
  if (!lang) return null;
  return <p className="muted written-in">{t("staff.writtenIn", { language: t(`staff.languageName.${lang}`) })}</p>;
}

// Stands in a translated sentence for the typed text, which is put in afterwards as its own element.
const SLOT = "\uE000";

/**
 * A translated sentence with typed text in it ("Hidden by the office: {{reason}}"): the sentence
 * reads in the page's direction and the text keeps its own. `sentence` receives the placeholder
 * to hand to t() for that variable.
 */
export function TextIn({ sentence, text, stored }: { sentence: (slot: string) => string; text: string; stored?: string | null }) {
  const [before, ...rest] = sentence(SLOT).split(SLOT);
  return (
    <>
      {before}
      <UserText text={text} stored={stored} />
      {rest.join("")}
    </>
  );
}
