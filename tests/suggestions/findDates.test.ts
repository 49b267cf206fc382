// Dates in demands are read in every way they are written and normalised to ISO; impossible ones are dropped.
import { describe, expect, it } from 'vitest';
import { findDates } from '../../ingest/suggestions/findDates.ts';

const isoIn = (text: string) => findDates(text).map((date) => date.iso);

describe('findDates', () => {
  it('reads Russian dates with month names, with and without «г.»', () => {
    expect(findDates('Письмо от 14 июля 2022 г. получено')).toEqual([
      { iso: '2022-07-14', raw: '14 июля 2022 г.', start: 10, end: 25 },
    ]);
    expect(isoIn('«1» марта 2023 года и 3 мая 2021')).toEqual(['2023-03-01', '2021-05-03']);
  });

  it('reads numeric dates', () => {
    expect(isoIn('Исх. № 21-09/4417 от 17.06.2019.')).toEqual(['2019-06-17']);
    expect(isoIn('from 2022-07-14 to 7/27/2006 and 27/7/2006')).toEqual([
      '2022-07-14',
      '2006-07-27',
      '2006-07-27',
    ]);
  });

  it('reads Kazakh dates with every month name', () => {
    const months = [
      'қаңтар',
      'ақпан',
      'наурыз',
      'сәуір',
      'мамыр',
      'маусым',
      'шілде',
      'тамыз',
      'қыркүйек',
      'қазан',
      'қараша',
      'желтоқсан',
    ];
    months.forEach((month, i) => {
      expect(isoIn(`2022 жылғы 14 ${month}`)).toEqual([`2022-${String(i + 1).padStart(2, '0')}-14`]);
    });
    expect(isoIn('2022 жылғы «5» шілдедегі хат')).toEqual(['2022-07-05']);
  });

  it('reads Kyrgyz dates', () => {
    expect(isoIn('2021-жылдын 23-августундагы мыйзам')).toEqual(['2021-08-23']);
  });

  it('reads English dates', () => {
    expect(isoIn('on July 14, 2022 and 14 July 2022 and Oct. 13th 2021')).toEqual([
      '2022-07-14',
      '2022-07-14',
      '2021-10-13',
    ]);
  });

  it('reads the dates Chinese agencies sign their letters with', () => {
    expect(isoIn('Cyber Security Department\n\nSep.3rd,2019\n')).toEqual(['2019-09-03']);
    expect(isoIn('Beijing Network Industry Association\n22st,Jan,2021  ')).toEqual(['2021-01-22']);
    expect(isoIn('中国公安部网络安全保卫局\n\n2019年9月3日')).toEqual(['2019-09-03']);
    expect(isoIn('Sep 32019, May 2019')).toEqual([]);
  });

  it('rejects impossible and ambiguous dates', () => {
    expect(
      isoIn('31 июня 2022, 29.02.2023, 2022 жылғы 32 шілде, February 30, 2020, 3/4/2020, 14.13.2022'),
    ).toEqual([]);
    expect(isoIn('29.02.2024')).toEqual(['2024-02-29']);
  });

  it('does not read law articles, versions or reference numbers as dates', () => {
    expect(isoIn('ст. 15.3, версия 1.2.3, № 04-37/1234, IP 10.10.10.10, 2а-205/2020')).toEqual([]);
  });
});
