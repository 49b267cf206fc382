// Legal citations are read from Russian, Kazakh and English phrasings into one code per article.
import { describe, expect, it } from 'vitest';
import {
  findLegalAct,
  findLegalCitations,
  InvalidCitationCodeError,
  LEGAL_ACTS,
  normalizeCitationCode,
  parseCitationCode,
} from '../../domain/legalCitation.ts';

const codesIn = (text: string) => findLegalCitations(text).map((citation) => citation.code);

describe('LEGAL_ACTS', () => {
  it('gives every act a well-formed, unique code that parses back to itself', () => {
    const codes = LEGAL_ACTS.map((act) => act.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const act of LEGAL_ACTS) {
      expect(parseCitationCode(act.code)).toMatchObject({ code: act.code, act: act.code, known: true });
      for (const article of Object.keys(act.articles ?? {})) {
        expect(parseCitationCode(`${act.code}/${article}`).article).toBe(article);
      }
    }
  });

  it('holds the articles of 149-FZ the domain names', () => {
    expect(Object.keys(findLegalAct('RU/149-FZ')?.articles ?? {})).toEqual(
      expect.arrayContaining(['15.1', '15.1-1', '15.2', '15.3', '15.5', '15.6', '15.8']),
    );
    expect(findLegalAct('KZ/MASS-MEDIA-1999')?.replacedBy).toBe('KZ/MASS-MEDIA-2024');
  });
});

describe('findLegalCitations', () => {
  it('reads an article with the law number and date', () => {
    expect(findLegalCitations('на основании ст. 15.3 Федерального закона от 27.07.2006 № 149-ФЗ')).toEqual([
      {
        code: 'RU/149-FZ/15.3',
        act: 'RU/149-FZ',
        article: '15.3',
        raw: 'ст. 15.3 Федерального закона от 27.07.2006 № 149-ФЗ',
        index: 13,
      },
    ]);
  });

  it('reads an article with the law named by its title', () => {
    expect(
      codesIn(
        'в соответствии со статьей 15.1 Федерального закона "Об информации, информационных технологиях и о защите информации"',
      ),
    ).toEqual(['RU/149-FZ/15.1']);
    expect(
      codesIn(
        'статьей 15.1-1 Федерального закона «Об информации, информационных технологиях и защите информации»',
      ),
    ).toEqual(['RU/149-FZ/15.1-1']);
  });

  it('reads a bare law number as the whole act', () => {
    expect(codesIn('требования 149-ФЗ')).toEqual(['RU/149-FZ']);
    expect(codesIn('Согласно Федеральному закону от 28.12.2013г. № 398-ФЗ')).toEqual(['RU/398-FZ']);
    expect(codesIn('According to Federal Law №398 dated 28.12.2013')).toEqual(['RU/398-FZ']);
  });

  it('reads English phrasings', () => {
    expect(codesIn('Article 15.3 of Federal Law No. 149-FZ')).toEqual(['RU/149-FZ/15.3']);
    expect(
      codesIn(
        'According to the article 15.2 of Federal Law No. 149-FZ from 7/27/2006 On Information, Information Technologies and on Protection of Information',
      ),
    ).toEqual(['RU/149-FZ/15.2']);
    expect(
      codesIn('In accordance with No. 7 of Article 15.1. of the Federal Law dated 27.07.2006 No. 149-FZ'),
    ).toEqual(['RU/149-FZ/15.1']);
  });

  it('reads lists and ranges of articles', () => {
    expect(
      codesIn(
        'реализации статей 15.1, 15.3 Федерального закона\n"Об информации, информационных\nтехнологиях и о защите информации"',
      ),
    ).toEqual(['RU/149-FZ/15.1', 'RU/149-FZ/15.3']);
    expect(codesIn('статей 15.1-15.3 Федерального закона № 149-ФЗ')).toEqual([
      'RU/149-FZ/15.1',
      'RU/149-FZ/15.2',
      'RU/149-FZ/15.3',
    ]);
  });

  it('reads the other Russian laws and the Criminal Code', () => {
    expect(
      codesIn('Закона Российской Федерации от 27.12.1991 № 2124-1 «О средствах массовой информации»'),
    ).toEqual(['RU/2124-1']);
    expect(
      codesIn('Федерального закона от 25.07.2002 № 114-ФЗ «О противодействии экстремистской деятельности»'),
    ).toEqual(['RU/114-FZ']);
    expect(
      codesIn('Федерального закона «О защите детей от информации, причиняющей вред их здоровью и развитию»'),
    ).toEqual(['RU/436-FZ']);
    expect(codesIn('по ч. 3 ст. 207.3 УК РФ и ст. 280.3 Уголовного кодекса Российской Федерации')).toEqual([
      'RU/CRIMINAL-CODE/207.3',
      'RU/CRIMINAL-CODE/280.3',
    ]);
  });

  it('reads Kazakh laws in Russian and in Kazakh', () => {
    expect(codesIn('статьи 41-1 Закона Республики Казахстан «О связи»')).toEqual([
      'KZ/COMMUNICATIONS-2004/41-1',
    ]);
    expect(codesIn('«Байланыс туралы» Қазақстан Республикасы Заңының 41-1-бабына сәйкес')).toEqual([
      'KZ/COMMUNICATIONS-2004/41-1',
    ]);
    expect(codesIn('нарушает Закон РК «О масс-медиа»')).toEqual(['KZ/MASS-MEDIA-2024']);
    expect(codesIn('Закона Республики Казахстан «О средствах массовой информации»')).toEqual([
      'KZ/MASS-MEDIA-1999',
    ]);
    expect(codesIn('Закон РК «Об онлайн-платформах и онлайн-рекламе»')).toEqual(['KZ/ONLINE-PLATFORMS-2023']);
    expect(codesIn('Закона РК от 18 февраля 2005 года № 31-III «О противодействии экстремизму»')).toEqual([
      'KZ/EXTREMISM-2005',
    ]);
    expect(codesIn('Закон Республики Казахстан «О противодействии терроризму»')).toEqual([
      'KZ/TERRORISM-1999',
    ]);
  });

  it('gives a title several countries share to the country named before it', () => {
    expect(codesIn('Федерального закона «О связи»')).toEqual(['RU/126-FZ']);
    expect(codesIn('Закона Российской Федерации «О средствах массовой информации»')).toEqual(['RU/2124-1']);
    expect(codesIn('Закон Кыргызской Республики «О средствах массовой информации»')).toEqual([
      'KG/MASS-MEDIA-1992',
    ]);
    expect(codesIn('Закон «О связи» без страны')).toEqual([]);
  });

  it('reads the Kyrgyz false-information law', () => {
    expect(codesIn('Закона Кыргызской Республики «О защите от недостоверной (ложной) информации»')).toEqual([
      'KG/FALSE-INFORMATION-2021',
    ]);
    expect(codesIn('the law on protection from false information')).toEqual(['KG/FALSE-INFORMATION-2021']);
  });

  it('ignores ordinary phrases and articles without a law', () => {
    expect(codesIn('информация о связи между событиями; статья 5 договора; 15.3 процента')).toEqual([]);
  });
});

describe('parseCitationCode', () => {
  it('normalises case and dashes of a typed code, and names the normal form when given the typed one', () => {
    expect(() => parseCitationCode(' ru/149-fz/15.1–1 ')).toThrow(/write it as RU\/149-FZ\/15\.1-1/);
    expect(parseCitationCode(normalizeCitationCode(' ru/149-fz/15.1–1 '))).toEqual({
      code: 'RU/149-FZ/15.1-1',
      country: 'RU',
      act: 'RU/149-FZ',
      article: '15.1-1',
      known: true,
    });
    expect(parseCitationCode('KZ/COMMUNICATIONS-2004/41-1')).toMatchObject({ article: '41-1', known: true });
  });

  it('accepts well-formed codes of acts not in the catalogue', () => {
    expect(parseCitationCode('RU/187-FZ/2')).toMatchObject({ act: 'RU/187-FZ', known: false });
  });

  it.each([
    '',
    'RU149FZ',
    'RUS/149-FZ',
    'RU/149-FZ/abc',
    'RU/149-FZ/15.3/1',
    'RU//15.3',
    'RU/149_FZ',
    `RU/${'A'.repeat(100)}`,
  ])('rejects %j with a message', (code) => {
    expect(() => parseCitationCode(code)).toThrow(InvalidCitationCodeError);
  });

  it('tells the user to write the act in Latin letters', () => {
    expect(() => parseCitationCode('RU/149-ФЗ/15.3')).toThrow(/Latin/);
  });
});
