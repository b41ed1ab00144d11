// Draws the safe Markdown subset of app/domain/markdown.ts. React escapes every text; links were
// checked by the parser. Headings start at `baseLevel` so a document fits under the page's title.
import type { ReactNode } from "react";
import type { Block, Inline } from "#app/domain/markdown";

function inline(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case "text":
        return n.text;
      case "code":
        return <code key={i}>{n.text}</code>;
      case "strong":
        return <strong key={i}>{inline(n.children)}</strong>;
      case "em":
        return <em key={i}>{inline(n.children)}</em>;
      case "link":
        return (
          <a key={i} href={n.href} rel={/^https?:/i.test(n.href) ? "noopener noreferrer" : undefined}>
            {inline(n.children)}
          </a>
        );
    }
  });
}

export function Markdown({ blocks, baseLevel = 1 }: { blocks: readonly Block[]; baseLevel?: number }) {
  return (
    <>
      {blocks.map((b, i) => {
        if (b.type === "heading") {
          const level = Math.min(6, b.level + baseLevel - 1);
          const Tag = `h${level}` as "h1" | "h2" | "h3" | "h4" | "h5" | "h6";
          return <Tag key={i}>{inline(b.children)}</Tag>;
        }
        if (b.type === "list") {
          const items = b.items.map((item, j) => <li key={j}>{inline(item)}</li>);
          return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
        }
        return <p key={i}>{inline(b.children)}</p>;
      })}
    </>
  );
}
