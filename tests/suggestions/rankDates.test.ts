// A demand's own date comes first; the date in a law's name («закон от 27.07.2006 № 149-ФЗ») never does.
import { describe, expect, it } from 'vitest';
import { findLegalCitations } from '../../domain/legalCitation.ts';
import { findDates } from '../../ingest/suggestions/findDates.ts';
import { likeliestIssuedOn, rankDates } from '../../ingest/suggestions/rankDates.ts';

const ranked = (text: string) =>
  rankDates(
    text,
    findDates(text),
    findLegalCitations(text).map((citation) => citation.act),
  );
const issuedOn = (text: string) => likeliestIssuedOn(ranked(text));

describe('rankDates', () => {
  it('puts the notice’s own date before the date of the law it cites', () => {
    const text =
      'На основании статьи 15.3 Федерального закона от 27.07.2006 № 149-ФЗ.\nУведомление № 04-37/1234 от 14.07.2022';
    expect(ranked(text).map(({ iso, law }) => ({ iso, law }))).toEqual([
      { iso: '2022-07-14', law: false },
      { iso: '2006-07-27', law: true },
    ]);
    expect(issuedOn(text)).toBe('2022-07-14');
  });

  it('takes the date of the decision a Roskomnadzor notice passes on, not the law’s', () => {
    expect(
      issuedOn(
        'Сообщаем, что статьей 15.1 Федерального закона от 27 июля 2006 года № 149-ФЗ «Об информации, информационных технологиях и о защите информации» ... на основании решения Ленинского районного суда г. Санкт-Петербурга от 24.01.2018 по делу № 2-388/18.',
      ),
    ).toBe('2018-01-24');
    expect(
      issuedOn(
        'According to Federal Law №398 dated 28.12.2013 ... Prosecutor General № 27-31-2015/Ид1959-15 dated 22.06.2015',
      ),
    ).toBe('2015-06-22');
  });

  it('suggests no date when only laws and regulations are dated', () => {
    const text =
      'According to the Federal Law of July 27, 2006 № 149-FZ "On Information" and the resolution of the Government of the Russian Federation on October 26, 2012 № 1101 these URLs will be blocked.';
    expect(ranked(text).every((date) => date.law)).toBe(true);
    expect(issuedOn(text)).toBeUndefined();
  });

  it('takes a date standing on its own line (a letter head or signature)', () => {
    expect(
      issuedOn('In 2019 the law of May 1, 2019 changed.\n\nMinistry of Public Security\n\nSep.3rd,2019\n'),
    ).toBe('2019-09-03');
  });

  it('knows a cited act’s date even when the wording around it is unusual', () => {
    const text = 'ст. 15.3 149-ФЗ (принят 27.07.2006); письмо от 01.02.2022 № 5-12/77';
    expect(ranked(text)[0]).toMatchObject({ iso: '2022-02-01', law: false });
    expect(ranked(text).find((date) => date.iso === '2006-07-27')).toMatchObject({
      law: true,
      confidence: 0,
    });
  });

  it('gives confidences that share out the evidence', () => {
    const dates = ranked('Исх. № 21-09/4417 от 17.06.2019\nСрок: 24.06.2019');
    expect(dates[0]).toMatchObject({ iso: '2019-06-17' });
    expect(dates.reduce((sum, date) => sum + date.confidence, 0)).toBeCloseTo(1, 1);
  });
});
