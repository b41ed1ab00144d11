// The roles of a staff account as plain form fields (no JavaScript needed): a box per office-wide
// role, then rows of unit roles (role, unit, with its sub-units or not). The page offers the
// account's rows and two blank ones; saving with more filled in offers two more.
import { type GrantRow, grantField, MAX_GRANT_ROWS, officeWideRoles, unitRoles } from "#app/domain/admin-forms";
import { useT } from "#app/i18n/context";

const SPARE_ROWS = 2;

export interface UnitChoice {
  code: string;
  name: string;
  depth: number;
  active: boolean;
}

export function RoleFields({
  roles,
  rows,
  errors,
  units,
}: {
  roles: readonly string[];
  rows: readonly GrantRow[];
  errors: Record<string, string>;
  units: readonly UnitChoice[];
}) {
  const { t } = useT();
  const shown = [...rows, ...Array.from({ length: SPARE_ROWS }, () => ({ role: "", unit: "", sub: false }))].slice(0, MAX_GRANT_ROWS);
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});
  const message = (name: string) =>
    errors[name] ? (
      <p id={`${name}-error`} className="field-error">
        {t(errors[name]!)}
      </p>
    ) : null;
  return (
    <>
      <fieldset id="roles" className={`question${errors.roles ? " has-error" : ""}`} aria-describedby={errors.roles ? "roles-error" : undefined}>
        <legend className="q-label">{t("admin.accounts.officeRoles")}</legend>
        {message("roles")}
        <div className="choices">
          {officeWideRoles.map((r) => (
            <label key={r} className="choice">
              <input type="checkbox" name="role" value={r} defaultChecked={roles.includes(r)} />
              <span>
                {t(`staff.roles.${r}`)}
                <span className="choice-hint">{t(`admin.roleHints.${r}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="question">
        <legend className="q-label">{t("admin.accounts.unitRoles")}</legend>
        <p className="q-help">{t("admin.accounts.unitRolesHelp")}</p>
        <div className="table-scroll">
          <table className="queue">
            <thead>
              <tr>
                <th scope="col">{t("admin.accounts.role")}</th>
                <th scope="col">{t("admin.accounts.unit")}</th>
                <th scope="col">{t("admin.accounts.subunits")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row, i) => {
                const role = grantField(i, "role");
                const unit = grantField(i, "unit");
                const sub = grantField(i, "sub");
                return (
                  <tr key={i}>
                    <td className={errors[role] ? "has-error" : undefined}>
                      <label htmlFor={role} className="visually-hidden">
                        {t("admin.accounts.rowRole", { n: i + 1 })}
                      </label>
                      {message(role)}
                      <select id={role} name={role} defaultValue={row.role} {...invalid(role)}>
                        <option value="">{t("admin.accounts.noRole")}</option>
                        {unitRoles.map((r) => (
                          <option key={r} value={r}>
                            {t(`staff.roles.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className={errors[unit] ? "has-error" : undefined}>
                      <label htmlFor={unit} className="visually-hidden">
                        {t("admin.accounts.rowUnit", { n: i + 1 })}
                      </label>
                      {message(unit)}
                      <select id={unit} name={unit} defaultValue={row.unit} {...invalid(unit)}>
                        <option value="">{t("admin.accounts.noUnit")}</option>
                        {units.map((u) => (
                          <option key={u.code} value={u.code}>
                            {`${"– ".repeat(u.depth)}${u.code} · ${u.name}${u.active ? "" : ` (${t("admin.units.inactive")})`}`}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <label className="choice">
                        <input type="checkbox" name={sub} value="1" defaultChecked={row.sub} />
                        <span>{t("admin.accounts.rowSubunits", { n: i + 1 })}</span>
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
    </>
  );
}
