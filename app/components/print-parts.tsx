// Pieces of the printable staff pages (survey posters, rating-code slips): an inline QR code and
// the print button.
import { useEffect, useState } from "react";

/** A QR code drawn inline: white background (the quiet zone must print), black modules. */
export function QrImage({ drawing, className, label }: { drawing: { size: number; path: string }; className: string; label: string }) {
  const { size, path } = drawing;
  return (
    <svg className={className} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" role="img" aria-label={label}>
      <rect width={size} height={size} fill="#ffffff" />
      <path fill="#000000" d={path} />
    </svg>
  );
}

/** Printing needs a script; without one the browser's own print command does the same. */
export function PrintButton({ label, primary = false }: { label: string; primary?: boolean }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready ? (
    <button type="button" className={primary ? "button primary" : "button"} onClick={() => window.print()}>
      {label}
    </button>
  ) : null;
}
