import { createContext, useContext } from "react";
import type { Bundle, TFunction } from "./translator";

export interface I18nValue {
  lng: string;
  dir: "ltr" | "rtl";
  t: TFunction;
  /** The page language's strings, embedded in the page for hydration. */
  bundle: Bundle;
}

const I18nContext = createContext<I18nValue | null>(null);
export const I18nProvider = I18nContext.Provider;

export function useT(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useT() outside <I18nProvider>");
  return value;
}
