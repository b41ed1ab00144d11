// The translation function used by components, on the server and in the browser alike.
// i18next (with remix-i18next) detects the language and translates in loaders on the server;
// components use this 1 KB function over the same locale files, because shipping i18next to the
// browser would cost ~16 KB of the survey page's JavaScript budget (docs/decisions/0003).
// It supports what the locale files use: nested keys and {{name}} interpolation.

export type Bundle = { [key: string]: string | Bundle };
export type Vars = Record<string, string | number>;
export type TFunction = (key: string, vars?: Vars) => string;

export function lookup(bundle: Bundle, key: string): string | undefined {
  let node: string | Bundle | undefined = bundle;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export function createTranslator(bundle: Bundle, fallback?: Bundle): TFunction {
  return (key, vars) => {
    const template = lookup(bundle, key) ?? (fallback ? lookup(fallback, key) : undefined);
    return template === undefined ? key : interpolate(template, vars);
  };
}
