// Validates Russian pension insurance numbers (СНИЛС, `123-456-789 01`).

// Check numbers are only defined above 001-001-998; lower numbers were issued without them.
const FIRST_CHECKED_NUMBER = 1001998;

/** The two-digit check number of a 9-digit СНИЛС body: weights 9..1, then mod 101, with 100 written 00. */
export function snilsCheckNumber(body: string): number {
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  const remainder = sum % 101;
  return remainder === 100 ? 0 : remainder;
}

/** Whether `digits` (11 digits, separators removed) is a СНИЛС whose check number is right. */
export function isValidSnils(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const body = digits.slice(0, 9);
  if (Number(body) <= FIRST_CHECKED_NUMBER) return false;
  return snilsCheckNumber(body) === Number(digits.slice(9));
}
