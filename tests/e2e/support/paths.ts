import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../../..");
// E2E_DIR lets two runs in one working tree keep apart (global setup empties this folder).
export const e2eDir = process.env.E2E_DIR ? path.resolve(process.env.E2E_DIR) : path.join(projectRoot, "tmp/e2e");
export const templateDb = path.join(e2eDir, "template.db");
/** The signing secret of the test servers, so tests can make kiosk links. */
export const TEST_SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e-secret";
