// The published method in each language (docs/method/<language>.md), bundled into the server build
// and parsed once. docs/scoring.md stays the full reference; these are its public summary.
import { type Block, parseMarkdown } from "#app/domain/markdown";
import { METHOD_VERSION } from "#app/domain/scoring";

const files = import.meta.glob<string>("../../docs/method/*.md", {
  eager: true,
  query: "?raw",
  import: "default",
});

const documents = new Map<string, Block[]>(Object.entries(files).map(([path, text]) => [path.split("/").at(-1)!.replace(/\.md$/, ""), parseMarkdown(text)]));

/** The method's text in the language, else in the fallback language. */
export function methodDocument(lng: string, fallback: string): { lng: string; blocks: Block[]; version: string } {
  const code = documents.has(lng) ? lng : fallback;
  return {
    lng: code,
    blocks: documents.get(code) ?? [],
    version: METHOD_VERSION,
  };
}

export function methodLanguages(): string[] {
  return [...documents.keys()].sort();
}
