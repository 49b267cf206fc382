// Validates Kazakhstan's 12-digit ИИН (ЖСН) for people and БИН (БСН) for organisations.

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/**
 * The check digit of the first 11 digits, or null when the number cannot have one: the sum with weights
 * 1..11 mod 11; when that is 10, again with weights 3..11,1,2; 10 a second time makes the number invalid.
 */
export function kazakhCheckDigit(firstEleven: string): number | null {
  if (!/^\d{11}$/.test(firstEleven)) return null;
  const digits = [...firstEleven].map(Number);
  const weighted = (weights: number[]) => digits.reduce((sum, digit, i) => sum + digit * weights[i]!, 0) % 11;
  const first = weighted(FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weighted(SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

/**
 * 'iin' or 'bin' when `digits` is a well-formed number with a correct check digit, else null. An ИИН starts
 * with the birth date (YYMMDD) and a century/sex digit 1–6; a БИН with the registration year and month
 * (YYMM) and a legal-form digit 4–6.
 */
export function kazakhIdentifierKind(digits: string): 'iin' | 'bin' | null {
  if (!/^\d{12}$/.test(digits)) return null;
  if (kazakhCheckDigit(digits.slice(0, 11)) !== Number(digits[11])) return null;
  const month = Number(digits.slice(2, 4));
  if (month < 1 || month > 12) return null;
  const fifth = Number(digits[4]);
  if (fifth >= 4 && fifth <= 6) return 'bin';
  const day = Number(digits.slice(4, 6));
  const centuryAndSex = Number(digits[6]);
  return day >= 1 && day <= 31 && centuryAndSex >= 1 && centuryAndSex <= 6 ? 'iin' : null;
}
