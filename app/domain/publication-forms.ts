// The office's publication forms on a period's page (docs/decisions/0020): publishing names the
// snapshot the office was shown (so a snapshot made meanwhile is never published unseen);
// withdrawing needs a reason, kept in the audit.
import { z } from "zod/mini";
import { firstErrors, type FormLike, formString as str } from "./form-helpers";
import { idField } from "./ids";

export type Parsed<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      errors: Record<string, string>;
      values: Record<string, string>;
    };

export function parsePublish(form: FormLike): Parsed<{ snapshotId: number }> {
  const values = { snapshot: str(form, "snapshot") };
  const r = z.object({ snapshot: idField("errors.invalidChoice") }).safeParse(values);
  return r.success ? { ok: true, data: { snapshotId: r.data.snapshot } } : { ok: false, errors: firstErrors(r.error.issues), values };
}

export function parseWithdraw(form: FormLike): Parsed<{ reason: string }> {
  // Its own field name: the period's page also has the recompute form's "reason".
  const values = { withdrawReason: str(form, "withdrawReason") };
  const r = z
    .object({
      withdrawReason: z.string().check(z.minLength(5, { error: "errors.reasonRequired" }), z.maxLength(1000, { error: "errors.tooLong" })),
    })
    .safeParse(values);
  return r.success ? { ok: true, data: { reason: r.data.withdrawReason } } : { ok: false, errors: firstErrors(r.error.issues), values };
}
