// The authority catalogue holds every body the domain names, consistently, and finds them in real phrasings.
import { describe, expect, it } from 'vitest';
import {
  AUTHORITY_CATALOG,
  AUTHORITY_KINDS,
  findAuthorityBySlug,
  findAuthorityMentions,
} from '../../domain/authorityCatalog.ts';

const slugsIn = (text: string) => findAuthorityMentions(text).map((mention) => mention.slug);

describe('AUTHORITY_CATALOG', () => {
  it('has unique slugs, known kinds and ISO country codes', () => {
    const slugs = AUTHORITY_CATALOG.map((entry) => entry.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const entry of AUTHORITY_CATALOG) {
      expect(AUTHORITY_KINDS).toContain(entry.kind);
      expect(entry.country).toMatch(/^[A-Z]{2}$/);
      expect(entry.slug).toMatch(/^[a-z]{2,8}-[a-z0-9-]+$/);
      expect(entry.aliases.length).toBeGreaterThan(0);
    }
  });

  it('links parents and successors to entries that exist, with sensible years', () => {
    for (const entry of AUTHORITY_CATALOG) {
      if (entry.parentSlug) expect(findAuthorityBySlug(entry.parentSlug), entry.slug).toBeDefined();
      if (entry.successorSlug) expect(findAuthorityBySlug(entry.successorSlug), entry.slug).toBeDefined();
      if (entry.validFrom && entry.validTo) expect(entry.validFrom).toBeLessThanOrEqual(entry.validTo);
    }
  });

  it('holds every issuing body of the domain table, and platforms as kind "platform"', () => {
    const expected: [string, string, string][] = [
      ['ru-roskomnadzor', 'RU', 'regulator'],
      ['ru-prosecutor-general', 'RU', 'prosecutor'],
      ['ru-fns', 'RU', 'agency'],
      ['ru-rospotrebnadzor', 'RU', 'agency'],
      ['ru-mvd', 'RU', 'police'],
      ['ru-fskn', 'RU', 'police'],
      ['ru-rosalkogolregulirovanie', 'RU', 'agency'],
      ['ru-courts', 'RU', 'court'],
      ['kz-mior', 'KZ', 'ministry'],
      ['kz-mci', 'KZ', 'ministry'],
      ['kz-cert', 'KZ', 'cert'],
      ['kz-prosecutors', 'KZ', 'prosecutor'],
      ['kz-courts', 'KZ', 'court'],
      ['kz-mfa', 'KZ', 'ministry'],
      ['kg-ministry-of-culture', 'KG', 'ministry'],
      ['kg-mvd', 'KG', 'police'],
      ['uz-aimc', 'UZ', 'agency'],
      ['tm-state-media', 'TM', 'agency'],
      ['by-mininform', 'BY', 'ministry'],
      ['platform-youtube', 'US', 'platform'],
      ['platform-google', 'US', 'platform'],
      ['platform-meta', 'US', 'platform'],
      ['platform-telegram', 'AE', 'platform'],
      ['platform-apple', 'US', 'platform'],
    ];
    for (const [slug, country, kind] of expected) {
      expect(findAuthorityBySlug(slug), slug).toMatchObject({ country, kind });
    }
  });

  it('records the years of bodies that were abolished or renamed', () => {
    expect(findAuthorityBySlug('ru-fskn')).toMatchObject({ validTo: 2016, successorSlug: 'ru-mvd-gunk' });
    expect(findAuthorityBySlug('ru-mvd-gunk')?.parentSlug).toBe('ru-mvd');
    expect(findAuthorityBySlug('kz-mior')).toMatchObject({
      validFrom: 2019,
      validTo: 2023,
      successorSlug: 'kz-mci',
    });
    expect(findAuthorityBySlug('kz-mci')?.validFrom).toBe(2023);
    expect(findAuthorityBySlug('kz-mior')?.stateLanguageName).toEqual({
      language: 'kk',
      name: 'Қазақстан Республикасының Ақпарат және қоғамдық даму министрлігі',
    });
  });
});

describe('findAuthorityMentions', () => {
  it('finds Roskomnadzor by every name and in Russian case forms, with offsets into the original text', () => {
    const text =
      'Письмо Роскомнадзора; ответ Роскомнадзору; решение РКН; ROSKOMNADZOR; Roskomnadzor’s notice';
    const mentions = findAuthorityMentions(text);
    expect(mentions.map((mention) => mention.matched)).toEqual([
      'Роскомнадзора',
      'Роскомнадзору',
      'РКН',
      'ROSKOMNADZOR',
      'Roskomnadzor',
    ]);
    for (const mention of mentions)
      expect(text.slice(mention.index, mention.index + mention.matched.length)).toBe(mention.matched);
    expect(new Set(mentions.map((mention) => mention.slug))).toEqual(new Set(['ru-roskomnadzor']));
  });

  it('matches the full name across line breaks, in capitals and in the genitive', () => {
    expect(
      slugsIn(
        'ФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ В СФЕРЕ СВЯЗИ,\nИНФОРМАЦИОННЫХ ТЕХНОЛОГИЙ И МАССОВЫХ КОММУНИКАЦИЙ',
      ),
    ).toEqual(['ru-roskomnadzor']);
    expect(
      slugsIn(
        'подписано подписью Федеральной службы по надзору в сфере связи, информационных технологий и массовых коммуникаций',
      ),
    ).toEqual(['ru-roskomnadzor']);
    expect(
      slugsIn(
        'The Federal Service for Supervision of\nCommunications, Information Technology, and Mass Media',
      ),
    ).toEqual(['ru-roskomnadzor']);
  });

  it('matches short names only as whole words, Cyrillic included', () => {
    expect(slugsIn('ПМВД, МВДшник, ФНСР, РКНУ, АРКН')).toEqual([]);
    expect(slugsIn('письмо ФНС России')).toEqual(['ru-fns']);
    expect(slugsIn('(РКН)')).toEqual(['ru-roskomnadzor']);
  });

  it('reports a name two bodies share once for each, at the same place', () => {
    const mentions = findAuthorityMentions('Запрос МВД поступил вчера');
    expect(mentions.map((mention) => mention.slug).sort()).toEqual(['kg-mvd', 'ru-mvd']);
    expect(new Set(mentions.map((mention) => mention.index))).toEqual(new Set([7]));
  });

  it('prefers the longer name where names overlap', () => {
    expect(slugsIn('требование Генеральной прокуратуры Российской Федерации')).toEqual([
      'ru-prosecutor-general',
    ]);
    expect(slugsIn('Генеральная прокуратура Республики Казахстан')).toEqual(['kz-prosecutors']);
    expect(slugsIn('определение Московского городского суда')).toEqual(['ru-moscow-city-court']);
    expect(slugsIn('МВД Кыргызстана сообщило')).toEqual(['kg-mvd']);
  });

  it('tolerates ё written as е and Kazakh typed on a Russian keyboard', () => {
    expect(slugsIn('Министерства культуры, информации, спорта и молодёжной политики')).toEqual([
      'kg-ministry-of-culture',
    ]);
    expect(slugsIn('Ақпарат және қоғамдық даму министрлігінің хаты')).toEqual(['kz-mior']);
    expect(slugsIn('Акпарат жане когамдык даму министрлиги')).toEqual(['kz-mior']);
    expect(slugsIn('Мәдениет және ақпарат министрлігі')).toEqual(['kz-mci']);
  });

  it('finds KZ-CERT, the Kyrgyz ministry, Uzbek, Belarusian and platform names', () => {
    expect(slugsIn('KZ-CERT, CERT-KZ, КазСЕРТ и Служба реагирования на компьютерные инциденты')).toEqual([
      'kz-cert',
      'kz-cert',
      'kz-cert',
      'kz-cert',
    ]);
    expect(
      slugsIn('Министерство культуры, информации, спорта и молодежной политики Кыргызской Республики'),
    ).toEqual(['kg-ministry-of-culture']);
    expect(
      slugsIn('Кыргыз Республикасынын Маданият, маалымат, спорт жана жаштар саясаты министрлиги'),
    ).toEqual(['kg-ministry-of-culture']);
    expect(slugsIn('АИМК Узбекистана и Мининформ Беларуси')).toEqual(['uz-aimc', 'by-mininform']);
    expect(slugsIn('жалоба в YouTube, затем в Telegram')).toEqual(['platform-youtube', 'platform-telegram']);
  });

  it('matches names that are ordinary words only as capitalised', () => {
    expect(slugsIn('meta tags and an apple a day')).toEqual([]);
    expect(slugsIn('Meta and Apple removed the app')).toEqual(['platform-meta', 'platform-apple']);
  });

  it('does not take the generic word «суд» for a court', () => {
    expect(slugsIn('решение может быть обжаловано в суд в течение трех месяцев')).toEqual([]);
  });
});
