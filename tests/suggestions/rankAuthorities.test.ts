// The sender of a notice is ranked above the bodies whose decisions it passes on.
import { describe, expect, it } from 'vitest';
import { rankAuthorities } from '../../ingest/suggestions/rankAuthorities.ts';

describe('rankAuthorities', () => {
  it('ranks the signing body first even when another is named earlier', () => {
    const text = [
      'Уведомляем, что на основании решения Роспотребнадзора от 14.07.2015 № 6154 страница включена в реестр.',
      'Просим удалить информацию в течение суток.',
      'С уважением,',
      'Роскомнадзор',
    ].join('\n');
    const [first, second] = rankAuthorities(text);
    expect(first).toMatchObject({ slug: 'ru-roskomnadzor', kind: 'regulator', country: 'RU', mentions: 1 });
    expect(second?.slug).toBe('ru-rospotrebnadzor');
  });

  it('breaks a tie between bodies that share a name by the country the text is about', () => {
    expect(
      rankAuthorities('Кыргызская Республика. МВД Кыргызской Республики направило... Ответ МВД ожидается.')[0]
        ?.slug,
    ).toBe('kg-mvd');
    expect(rankAuthorities('Российская Федерация, МВД России сообщает, что МВД готово')[0]?.slug).toBe(
      'ru-mvd',
    );
  });

  it('collects the distinct spellings of a body', () => {
    const [first] = rankAuthorities('Роскомнадзор ... ROSKOMNADZOR ... Роскомнадзор');
    expect(first).toMatchObject({
      slug: 'ru-roskomnadzor',
      mentions: 3,
      matched: ['Роскомнадзор', 'ROSKOMNADZOR'],
    });
  });

  it('returns nothing when no catalogued body is named', () => {
    expect(rankAuthorities('Добрый день!')).toEqual([]);
  });
});
