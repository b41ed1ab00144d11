import fs from "node:fs";

/**
 * The Chromium to drive: an explicit path from the environment wins, else Debian's package.
 * scripts/ensure-chromium.sh installs that package when it is missing.
 */
export function chromiumPath(): string {
  const explicit = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH || process.env.CHROMIUM_PATH;
  if (explicit) return explicit;
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("No Chromium found: run scripts/ensure-chromium.sh or set CHROMIUM_PATH.");
}
