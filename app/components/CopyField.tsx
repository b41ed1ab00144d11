import { useEffect, useRef, useState } from "react";
import { useT } from "#app/i18n/context";

// A link to hand on: read-only and selected on focus, so it can be copied without scripts; with
// scripts (and a secure page, which the clipboard needs) a Copy button as well.
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const { t } = useT();
  const input = useRef<HTMLInputElement>(null);
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && Boolean(navigator.clipboard) && window.isSecureContext), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Refused (no permission): leave the text selected for Ctrl+C instead.
      input.current?.select();
    }
  }
  return (
    <div className="field copy-field">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <div className="copy-row">
        <input ref={input} id={id} type="text" readOnly value={value} dir="ltr" spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        {canCopy ? (
          <button type="button" className="button" aria-label={`${t("distribution.copy")}: ${label}`} onClick={copy}>
            {t("distribution.copy")}
          </button>
        ) : null}
        <span role="status" className="visually-hidden">
          {copied ? t("distribution.copied") : ""}
        </span>
      </div>
    </div>
  );
}
