// The URL of the survey pages' own script, provided by vite/enhance-script.ts.
declare module "virtual:enhance-script" {
  export const enhanceScriptUrl: string;
}
