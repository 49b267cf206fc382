// Language suggestions tell Russian, Kazakh, Kyrgyz, English and Ukrainian apart, bilingual notices included.
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../ingest/suggestions/detectLanguage.ts';

const RUSSIAN =
  'Уведомляем вас о том, что информация, размещенная на указанной странице сайта, признана запрещенной к распространению на территории Российской Федерации. Просим удалить материал в течение суток.';
const ENGLISH =
  'We inform you that the information published on the page listed below has been recognised as prohibited for distribution in the Russian Federation. Please remove it within 24 hours.';
const KAZAKH =
  'Қазақстан Республикасының Мәдениет және ақпарат министрлігі сайтта жарияланған материалды жою туралы талап етеді. Материал заңнаманы бұзады және жиырма төрт сағат ішінде алынып тасталуы тиіс.';
const KYRGYZ =
  'Кыргыз Республикасынын Маданият, маалымат, спорт жана жаштар саясаты министрлиги сайтта жарыяланган макаланы өчүрүүнү талап кылат. Макала жалган маалыматты камтыйт жана үч күндүн ичинде өчүрүлүшү керек.';
const UKRAINIAN =
  'Повідомляємо, що інформацію, розміщену на зазначеній сторінці сайту, визнано забороненою до поширення. Просимо видалити матеріал протягом доби та повідомити про це редакцію.';

describe('detectLanguage', () => {
  it.each([
    ['Russian', RUSSIAN, 'ru'],
    ['English', ENGLISH, 'en'],
    ['Kazakh', KAZAKH, 'kk'],
    ['Kyrgyz', KYRGYZ, 'ky'],
    ['Ukrainian', UKRAINIAN, 'uk'],
  ])('recognises %s', (_name, text, code) => {
    expect(detectLanguage(text)?.code).toBe(code);
  });

  it('tells Kazakh from Kyrgyz by the letters only Kazakh has', () => {
    // Both use ң ө ү; only Kazakh uses ә ғ қ ұ һ.
    expect(detectLanguage(KYRGYZ)?.code).toBe('ky');
    expect(detectLanguage(KAZAKH)?.code).toBe('kk');
  });

  it('names the second language of a bilingual notice', () => {
    expect(detectLanguage(`${RUSSIAN}\n\n${ENGLISH}\n\n${RUSSIAN}`)).toEqual({ code: 'ru', others: ['en'] });
  });

  it('says nothing about text too short to judge', () => {
    expect(detectLanguage('№ 04-37/1234')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});
