// One call reads a whole demand into suggestions of every kind, on demands written in the real formats.
import { describe, expect, it } from 'vitest';
import { suggestFromText } from '../../ingest/suggestions/suggestFromText.ts';

// A made-up demand in the form Kazakhstan's ministry writes them; the numbers are invented (the ИИН has a
// valid check digit).
const MINISTRY_DEMAND = `Исх. № 21-09/4417 от 17.06.2019

Главному редактору интернет-издания Vlast.kz

Министерство информации и общественного развития Республики Казахстан сообщает, что материал
https://vlast.kz/novosti/34512-statya.html?utm_source=telegram содержит сведения, распространение которых
запрещено статьей 41-1 Закона Республики Казахстан «О связи» и Законом РК «О средствах массовой информации».

Просим удалить материал в течение 24 часов с момента получения настоящего письма. В противном случае доступ
к ресурсу будет ограничен на территории Республики Казахстан.

Текст закона: https://adilet.zan.kz/rus/docs/Z040000567_

Исполнитель: Ахметова А., тел. +7 (7172) 74-33-22, a.akhmetova@example.kz, ИИН 870315300121

С уважением,
Министерство информации и общественного развития Республики Казахстан`;

const KAZAKH_DEMAND = `Қазақстан Республикасының Мәдениет және ақпарат министрлігі 2023 жылғы 14 қыркүйектегі № 04-37/1234 хатпен
«Масс-медиа туралы» Заңға сәйкес https://kloop.kg/blog/2023/09/12/material/ мақаласын 24 сағат ішінде жоюды талап етеді.
Құрметпен, Мәдениет және ақпарат министрлігі`;

describe('suggestFromText', () => {
  it('reads a Russian-language demand of a Kazakh ministry', () => {
    const suggestions = suggestFromText(MINISTRY_DEMAND);

    expect(suggestions.language).toEqual({ code: 'ru', others: [] });
    expect(suggestions.authorities[0]).toMatchObject({ slug: 'kz-mior', country: 'KZ', kind: 'ministry' });
    expect(suggestions.reference_numbers.map(({ value, kind }) => ({ value, kind }))).toEqual([
      { value: '21-09/4417', kind: 'outgoing' },
    ]);
    expect(suggestions.dates.map((date) => date.iso)).toEqual(['2019-06-17']);
    expect(suggestions.legal_basis.map((citation) => citation.code)).toEqual([
      'KZ/COMMUNICATIONS-2004/41-1',
      'KZ/MASS-MEDIA-1999',
    ]);
    expect(suggestions.urls.map(({ canonical, target }) => ({ canonical, target }))).toEqual([
      { canonical: 'https://vlast.kz/novosti/34512-statya.html', target: true },
      { canonical: 'https://adilet.zan.kz/rus/docs/Z040000567_', target: false },
    ]);
    expect(suggestions.deadline).toMatchObject({ amount: 24, unit: 'hours', raw: 'в течение 24 часов' });
    expect(suggestions.demanded_actions.map((guess) => guess.action)).toEqual(['remove', 'restrict_access']);
    expect(suggestions.personal_data.map(({ kind, value }) => `${kind}:${value}`)).toEqual([
      'person-name:Ахметова А.',
      'phone:+7 (7172) 74-33-22',
      'email:a.akhmetova@example.kz',
      'kz-iin:870315300121',
    ]);
    // The same, as order fields ready to send.
    expect(suggestions.order_fields).toEqual({
      authority: 'kz-mior',
      reference_number: '21-09/4417',
      issued_on: '2019-06-17',
      legal_basis: ['KZ/COMMUNICATIONS-2004/41-1', 'KZ/MASS-MEDIA-1999'],
      demanded_actions: ['remove'],
      targets: [{ url: 'https://vlast.kz/novosti/34512-statya.html' }],
      language: 'ru',
    });
  });

  it('reads a demand written in Kazakh', () => {
    const suggestions = suggestFromText(KAZAKH_DEMAND);

    expect(suggestions.language?.code).toBe('kk');
    expect(suggestions.authorities[0]?.slug).toBe('kz-mci');
    expect(suggestions.dates.map((date) => date.iso)).toEqual(['2023-09-14']);
    expect(suggestions.reference_numbers.map((reference) => reference.value)).toEqual(['04-37/1234']);
    expect(suggestions.legal_basis.map((citation) => citation.code)).toEqual(['KZ/MASS-MEDIA-2024']);
    expect(suggestions.urls.map((url) => url.canonical)).toEqual([
      'https://kloop.kg/blog/2023/09/12/material',
    ]);
    expect(suggestions.deadline).toMatchObject({ amount: 24, unit: 'hours' });
    expect(suggestions.demanded_actions[0]?.action).toBe('remove');
    expect(suggestions.order_fields).toMatchObject({
      issued_on: '2023-09-14',
      reference_number: '04-37/1234',
    });
  });

  it('keeps one suggestion per citation code and drops a bare act once an article of it is cited', () => {
    const { legal_basis: legalBasis } = suggestFromText(
      'по ст. 15.3 Федерального закона № 149-ФЗ; повторно ст. 15.3 Федерального закона № 149-ФЗ; см. также 149-ФЗ',
    );
    expect(legalBasis.map((citation) => citation.code)).toEqual(['RU/149-FZ/15.3']);
  });

  it('suggests nothing from an empty text', () => {
    expect(suggestFromText('')).toEqual({
      order_fields: {},
      language: null,
      authorities: [],
      reference_numbers: [],
      dates: [],
      legal_basis: [],
      urls: [],
      deadline: null,
      demanded_actions: [],
      personal_data: [],
    });
  });
});
