// Validates Russian taxpayer numbers (ИНН): 10 digits for organisations, 12 for people.

const TEN_DIGIT_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const ELEVENTH_DIGIT_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const TWELFTH_DIGIT_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: string, weights: number[]): number {
  const sum = weights.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  return (sum % 11) % 10;
}

/** Whether `digits` is a 10- or 12-digit ИНН whose check digits are right. */
export function isValidRussianInn(digits: string): boolean {
  if (/^\d{10}$/.test(digits)) return checkDigit(digits, TEN_DIGIT_WEIGHTS) === Number(digits[9]);
  if (/^\d{12}$/.test(digits)) {
    return (
      checkDigit(digits, ELEVENTH_DIGIT_WEIGHTS) === Number(digits[10]) &&
      checkDigit(digits, TWELFTH_DIGIT_WEIGHTS) === Number(digits[11])
    );
  }
  return false;
}
