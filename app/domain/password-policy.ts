// What a staff password must be. Length matters most (NIST SP 800-63B); no composition rules.
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** A translation key naming the problem, or null when the password is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return "errors.passwordTooShort";
  if (password.length > PASSWORD_MAX_LENGTH) return "errors.tooLong";
  if (password.toLowerCase().includes(username.toLowerCase())) return "errors.passwordHasUsername";
  if (/^(.)\1+$/.test(password)) return "errors.passwordTooSimple";
  return null;
}
