// The check-digit rules of Kazakh ИИН/БИН, Russian ИНН and СНИЛС, on numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import { kazakhCheckDigit, kazakhIdentifierKind } from '../../ingest/suggestions/kazakhIinChecksum.ts';
import { isValidRussianInn } from '../../ingest/suggestions/russianInnChecksum.ts';
import { isValidSnils, snilsCheckNumber } from '../../ingest/suggestions/russianSnilsChecksum.ts';

describe('Kazakh ИИН/БИН', () => {
  it('computes the check digit with weights 1..11', () => {
    // 8·1 + 7·2 + 0·3 + 3·4 + 1·5 + 5·6 + 3·7 + 0·8 + 0·9 + 1·10 + 2·11 = 122; 122 mod 11 = 1
    expect(kazakhCheckDigit('87031530012')).toBe(1);
    expect(kazakhIdentifierKind('870315300121')).toBe('iin');
  });

  it('falls back to weights 3..11,1,2 when the first sum gives 10', () => {
    // first pass: 109 mod 11 = 10; second: 8·3 + 8·4 + 0·5 + 3·6 + 1·7 + 5·8 + 4·9 + 0·10 + 0·11 + 1·1 + 0·2 = 158; mod 11 = 4
    expect(kazakhCheckDigit('88031540010')).toBe(4);
    expect(kazakhIdentifierKind('880315400104')).toBe('iin');
  });

  it('has no valid check digit when both passes give 10', () => {
    expect(kazakhCheckDigit('88031540013')).toBeNull();
    for (let last = 0; last <= 9; last += 1) expect(kazakhIdentifierKind(`88031540013${last}`)).toBeNull();
  });

  it('tells a БИН (legal-form digit 4–6) from an ИИН', () => {
    // 1·1 + 2·2 + 0·3 + 4·4 + 4·5 + 0·6 + 0·7 + 1·8 + 2·9 + 3·10 + 4·11 = 141; mod 11 = 9
    expect(kazakhIdentifierKind('120440012349')).toBe('bin');
  });

  it('rejects a wrong check digit, a wrong length and an impossible birth date', () => {
    expect(kazakhIdentifierKind('870315300122')).toBeNull();
    expect(kazakhIdentifierKind('87031530012')).toBeNull();
    expect(kazakhIdentifierKind('871315300126')).toBeNull();
  });
});

describe('Russian ИНН', () => {
  it('checks 10-digit numbers of organisations', () => {
    // 7·2 + 7·4 + 0·10 + 8·3 + 1·5 + 2·9 + 3·4 + 4·6 + 5·8 = 165; 165 mod 11 mod 10 = 0
    expect(isValidRussianInn('7708123450')).toBe(true);
    expect(isValidRussianInn('7708123451')).toBe(false);
  });

  it('checks both check digits of 12-digit numbers of people', () => {
    expect(isValidRussianInn('500312345614')).toBe(true);
    expect(isValidRussianInn('500312345615')).toBe(false);
    expect(isValidRussianInn('500312345604')).toBe(false);
    expect(isValidRussianInn('50031234561')).toBe(false);
  });
});

describe('СНИЛС', () => {
  it('computes the check number with weights 9..1 mod 101', () => {
    // 1·9 + 2·8 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 + 8·2 + 9·1 = 165; 165 mod 101 = 64
    expect(snilsCheckNumber('123456789')).toBe(64);
    expect(isValidSnils('12345678964')).toBe(true);
    expect(isValidSnils('12345678965')).toBe(false);
  });

  it('writes a check number of 100 or 101 as 00', () => {
    // 1·9 + 1·8 + 1·7 + 1·6 + 1·5 + 9·4 + 9·3 + 0·2 + 3·1 = 101
    expect(snilsCheckNumber('111119903')).toBe(0);
    expect(isValidSnils('11111990300')).toBe(true);
  });

  it('does not check the early numbers issued without a check number', () => {
    expect(isValidSnils('00100199800')).toBe(false);
  });
});
