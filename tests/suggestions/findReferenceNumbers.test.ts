// Reference numbers are found in their real formats and told apart from law and regulation numbers.
import { describe, expect, it } from 'vitest';
import { findReferenceNumbers } from '../../ingest/suggestions/findReferenceNumbers.ts';

const valuesIn = (text: string) => findReferenceNumbers(text).map(({ value, kind }) => `${kind}:${value}`);

describe('findReferenceNumbers', () => {
  it('reads a plain letter number', () => {
    expect(findReferenceNumbers('Письмо № 04-37/1234 направлено')).toEqual([
      { value: '04-37/1234', kind: 'reference', raw: '№ 04-37/1234', start: 7, end: 19 },
    ]);
  });

  it('reads an outgoing number with its label', () => {
    expect(findReferenceNumbers('Исх. № 21-09/4417 от 17.06.2019')).toEqual([
      { value: '21-09/4417', kind: 'outgoing', raw: 'Исх. № 21-09/4417', start: 0, end: 17 },
    ]);
    expect(valuesIn('Вх. №123 от 01.02.2020')).toEqual(['incoming:123']);
  });

  it('reads a Prosecutor General demand number with Cyrillic letters in it', () => {
    expect(valuesIn('требованием Генеральной прокуратуры № 27-31-2015/Ид4082-15 от 22.06.2015')).toEqual([
      'reference:27-31-2015/Ид4082-15',
    ]);
  });

  it('reads register entries and court cases, with or without №', () => {
    expect(valuesIn('номер реестровой записи 70203-РИ')).toEqual(['register-entry:70203-РИ']);
    expect(valuesIn('по делу № 2а-205/2020 и делу 2-388/18')).toEqual([
      'court-case:2а-205/2020',
      'court-case:2-388/18',
    ]);
  });

  it('leaves out law numbers, regulation numbers and parts of articles', () => {
    expect(
      valuesIn(
        'Федерального закона от 27.07.2006 № 149-ФЗ; Federal Law №398 dated 28.12.2013; постановления Правительства Российской Федерации от 26.10.2012 № 1101; the resolution of the Government of the Russian Federation on October 26, 2012 № 1101; Закон РК № 567-II; No. 7 of Article 15.1',
      ),
    ).toEqual([]);
  });

  it('reports each number once, in its most specific reading', () => {
    expect(valuesIn('запись 70203-РИ; повторно: запись № 70203-РИ')).toEqual(['register-entry:70203-РИ']);
  });

  it('does not read a path segment such as n24hr.md as a number', () => {
    expect(findReferenceNumbers('https://github.com/dfcbzs/djy/blob/master/gb/n24hr.md?dfh#1')).toEqual([]);
  });
});
