// The pages' words in English, Russian and Kazakh: one flat catalogue per language (en.json, ru.json,
// kk.json, ICU message syntax, which a translator edits without touching code), formatted with
// intl-messageformat; dates, numbers, sizes and country names through Intl in the reader's language.
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json' with { type: 'json' };
import kk from './kk.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };

export const LOCALES = ['en', 'ru', 'kk'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number>;

export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, ru, kk };

/** The language's own name, for the switcher (the same on every page, whatever the page's language). */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский', kk: 'Қазақша' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export interface Messages {
  locale: Locale;
  t(key: MessageKey, values?: MessageValues): string;
  /** A calendar date (YYYY-MM-DD) or an instant, as the reader writes dates. */
  date(value: string | Date): string;
  number(value: number): string;
  bytes(value: number): string;
  country(code: string): string;
}

const compiled = new Map<string, IntlMessageFormat>();

function format(locale: Locale, key: MessageKey, values?: MessageValues): string {
  const id = `${locale}\u0000${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = new IntlMessageFormat(CATALOGUES[locale][key] ?? CATALOGUES.en[key] ?? key, locale);
    compiled.set(id, message);
  }
  return String(message.format(values));
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();
const regionNames = new Map<Locale, Intl.DisplayNames>();

function once<T>(cache: Map<Locale, T>, locale: Locale, make: () => T): T {
  let value = cache.get(locale);
  if (!value) cache.set(locale, (value = make()));
  return value;
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

export function messagesFor(locale: Locale): Messages {
  return {
    locale,
    t: (key, values) => format(locale, key, values),
    date(value) {
      // A calendar date names a day, not an instant: formatted in UTC so no zone moves it.
      const instant =
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
      const formatter = once(
        dateFormats,
        locale,
        () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
      );
      return formatter.format(new Date(instant));
    },
    number: (value) => once(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value),
    bytes(value) {
      let size = value;
      let unit = 0;
      while (size >= 1024 && unit < SIZE_UNITS.length - 1) {
        size /= 1024;
        unit += 1;
      }
      return new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: SIZE_UNITS[unit],
        unitDisplay: unit === 0 ? 'long' : 'short',
        maximumFractionDigits: unit === 0 ? 0 : 1,
      }).format(size);
    },
    country(code) {
      try {
        return (
          once(regionNames, locale, () => new Intl.DisplayNames(locale, { type: 'region' })).of(code) ?? code
        );
      } catch {
        return code;
      }
    },
  };
}

/**
 * The reader's language: the one named in the `lang` cookie, else the first of Accept-Language's that the
 * archive speaks (by weight), else English.
 */
export function chooseLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return {
        language: tag.trim().toLowerCase().split('-')[0],
        weight: q === undefined ? 1 : Number(q),
        index,
      };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return wanted.map((entry) => entry.language).find(isLocale) ?? 'en';
}
