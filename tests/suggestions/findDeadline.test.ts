// Compliance deadlines in Russian, Kazakh and English become a number and a unit; appeal periods do not count.
import { describe, expect, it } from 'vitest';
import { findDeadline, findDeadlines } from '../../ingest/suggestions/findDeadline.ts';

const deadlineOf = (text: string) => {
  const found = findDeadline(text);
  return found && { amount: found.amount, unit: found.unit, raw: found.raw };
};

describe('findDeadline', () => {
  it.each([
    ['удалить в течение 24 часов', { amount: 24, unit: 'hours', raw: 'в течение 24 часов' }],
    ['в течение трех рабочих дней', { amount: 3, unit: 'working-days', raw: 'в течение трех рабочих дней' }],
    [
      'в течение 3 (трех) рабочих дней с момента',
      { amount: 3, unit: 'working-days', raw: 'в течение 3 (трех) рабочих дней' },
    ],
    ['В течение суток с момента получения', { amount: 24, unit: 'hours', raw: 'В течение суток' }],
    ['в течение пяти календарных дней', { amount: 5, unit: 'days', raw: 'в течение пяти календарных дней' }],
    ['в трехдневный срок', { amount: 3, unit: 'days', raw: 'в трехдневный срок' }],
    ['must be removed within 24 hours', { amount: 24, unit: 'hours', raw: 'within 24 hours' }],
    [
      'within three (3) working days',
      { amount: 3, unit: 'working-days', raw: 'within three (3) working days' },
    ],
    ['within 3 business days', { amount: 3, unit: 'working-days', raw: 'within 3 business days' }],
    ['24 сағат ішінде жою', { amount: 24, unit: 'hours', raw: '24 сағат ішінде' }],
    ['үш жұмыс күні ішінде', { amount: 3, unit: 'working-days', raw: 'үш жұмыс күні ішінде' }],
  ])('reads %j', (text, expected) => {
    expect(deadlineOf(text)).toEqual(expected);
  });

  it('leaves out the time to appeal', () => {
    expect(
      findDeadlines(
        'Решение может быть обжаловано в суд в течение трех месяцев. The decision can be appealed within three months.',
      ),
    ).toEqual([]);
    expect(
      deadlineOf('Решение может быть обжаловано в течение трех месяцев. Удалите материал в течение суток.'),
    ).toMatchObject({
      amount: 24,
      unit: 'hours',
    });
  });

  it('returns null when no deadline is given', () => {
    expect(findDeadline('Просим удалить материал.')).toBeNull();
  });
});
