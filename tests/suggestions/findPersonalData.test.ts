// Personal data is located exactly for redaction; identifiers with wrong check digits are never reported.
import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../ingest/suggestions/findPersonalData.ts';

const kindsIn = (text: string) => findPersonalData(text).map(({ kind, value }) => `${kind}:${value}`);

describe('findPersonalData', () => {
  it('gives exact offsets of e-mails', () => {
    const text = 'Пишите: a.ivanova@vlast.kz или редактору@пример.рф.';
    const found = findPersonalData(text);
    expect(found.map(({ kind, value }) => `${kind}:${value}`)).toEqual([
      'email:a.ivanova@vlast.kz',
      'email:редактору@пример.рф',
    ]);
    for (const item of found) expect(text.slice(item.start, item.end)).toBe(item.value);
  });

  it.each([
    ['+7 (7172) 74-33-22', 'тел. +7 (7172) 74-33-22, приемная'],
    ['8 (495) 123-45-67', 'звоните 8 (495) 123-45-67.'],
    ['+996 555 123 456', 'WhatsApp +996 555 123 456'],
    ['+7-916-123-45-67', 'моб.: +7-916-123-45-67'],
    ['(7172) 74-33-22', 'факс (7172) 74-33-22'],
  ])('finds the phone %s', (phone, text) => {
    expect(kindsIn(text)).toEqual([`phone:${phone}`]);
  });

  it('does not take dates, reference numbers or law articles for phones', () => {
    expect(kindsIn('от 14.07.2022 № 04-37/1234, ст. 15.3, 27-31-2015/Ид4082-15, 8 июля 2022 г.')).toEqual([]);
  });

  it('reports Kazakh ИИН and БИН only with a correct check digit', () => {
    expect(kindsIn('ИИН 870315300121, БИН 120440012349')).toEqual([
      'kz-iin:870315300121',
      'kz-bin:120440012349',
    ]);
    expect(kindsIn('ИИН 870315300122, БИН 120440012340')).toEqual([]);
  });

  it('reports Russian ИНН (10 and 12 digits) only with correct check digits', () => {
    expect(kindsIn('ИНН 7708123450; ИНН 500312345614')).toEqual(['ru-inn:7708123450', 'ru-inn:500312345614']);
    expect(kindsIn('ИНН 7708123451; ИНН 500312345615')).toEqual([]);
  });

  it('believes the label: digits labelled ИНН are not reported as an ИИН, and the other way round', () => {
    // 500312345615 fails the ИНН check but happens to pass the ИИН one.
    expect(kindsIn('ИНН 500312345615')).toEqual([]);
    expect(kindsIn('ИИН 7708123450')).toEqual([]);
    expect(kindsIn('номер 500312345615')).toEqual(['kz-iin:500312345615']);
  });

  it('reports СНИЛС only with a correct check number', () => {
    expect(kindsIn('СНИЛС 123-456-789 64')).toEqual(['ru-snils:123-456-789 64']);
    expect(kindsIn('СНИЛС 123-456-789 65')).toEqual([]);
  });

  it('does not report digits that are part of longer numbers', () => {
    expect(kindsIn('commit 8703153001210 и 77081234501')).toEqual([]);
  });

  it('returns finds in text order without overlaps', () => {
    const found = findPersonalData('ИНН 7708123450, e-mail x@y.kz, +7 (7172) 74-33-22');
    expect(found.map((item) => item.kind)).toEqual(['ru-inn', 'email', 'phone']);
    for (let i = 1; i < found.length; i += 1)
      expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
  });

  it.each([
    ['паспорт серия 45 06 № 123456 выдан', 'passport:45 06 № 123456'],
    ['удостоверение личности № 041234567', 'passport:041234567'],
    ['Passport N12345678', 'passport:N12345678'],
  ])('finds a passport or identity card number where the text says so: %s', (text, expected) => {
    expect(kindsIn(text)).toEqual([expected]);
  });

  it('finds the names of journalists, correspondents and editors, and names in a signature block', () => {
    expect(kindsIn('Материал подготовила журналист Анна Иванова.')).toEqual(['person-name:Анна Иванова']);
    expect(kindsIn('корреспондент «Власти» Нұрлан Әбенов сообщил')).toEqual(['person-name:Нұрлан Әбенов']);
    expect(kindsIn('Иванова А.С., корреспондент издания')).toEqual(['person-name:Иванова А.С.']);
    expect(kindsIn('С уважением,\nглавный редактор\nВячеслав Абрамов\n')).toEqual([
      'person-name:Вячеслав Абрамов',
    ]);
    expect(kindsIn('Исполнитель: Петров И.И.\nтел. 8 (495) 987-65-43')).toEqual([
      'person-name:Петров И.И.',
      'phone:8 (495) 987-65-43',
    ]);
  });

  it('does not take bodies, or names without a role or signature, for private persons', () => {
    expect(kindsIn('С уважением,\nФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ В СФЕРЕ СВЯЗИ')).toEqual([]);
    expect(kindsIn('Руководитель Андрей Липов подписал требование.')).toEqual([]);
    expect(kindsIn('номер 12345678 в реестре, ID 12345678')).toEqual([]);
  });
});
