import { Link } from "react-router";

/** Previous / next links around "page N" for a paged staff list; each link only when there is a page. */
export function Pager({ label, prev, next, prevText, nextText, pageText }: {
  label: string;
  prev: string | null;
  next: string | null;
  prevText: string;
  nextText: string;
  pageText: string;
}) {
  return (
    <nav className="pager action-buttons" aria-label={label}>
      {prev ? (
        <Link className="button" to={prev} rel="prev">
          {prevText}
        </Link>
      ) : null}
      <span>{pageText}</span>
      {next ? (
        <Link className="button" to={next} rel="next">
          {nextText}
        </Link>
      ) : null}
    </nav>
  );
}
