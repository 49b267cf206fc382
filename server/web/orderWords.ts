// The words pages use for an order's coded facts, in the reader's language: a legal citation code in
// words ("Federal Law 149-FZ, art. 15.3"), an authority's name, and the catalogue's words for statuses,
// actions, events and responses.
import { AUTHORITY_CATALOG } from '../../domain/authorityCatalog.ts';
import { findLegalAct } from '../../domain/legalCitation.ts';
import { CATALOGUES, type MessageKey, type Messages } from './i18n/messages.ts';

const CATALOGUED = new Map(AUTHORITY_CATALOG.map((entry) => [entry.slug, entry]));
const FEDERAL_LAW = /^(\d+)-FZ$/;

/** A law (RU/149-FZ) in words: a Russian federal law by its number, another by its title. */
export function legalActWords(messages: Messages, actCode: string): string {
  const act = findLegalAct(actCode);
  const name = actCode.split('/')[1] ?? actCode;
  const federal = FEDERAL_LAW.exec(name);
  if (act?.country === 'RU' && federal) {
    return messages.t('law.federalLaw', { number: messages.locale === 'en' ? name : (act.number ?? name) });
  }
  if (!act) return actCode;
  return messages.locale === 'en' ? act.englishTitle : `«${act.title}»`;
}

/** A citation code (RU/149-FZ/15.3, or an act alone) in words. */
export function legalBasisWords(messages: Messages, code: string): string {
  const parts = code.split('/');
  const act = parts.slice(0, 2).join('/');
  const article = parts[2];
  const actWords = legalActWords(messages, act);
  return article ? messages.t('law.article', { act: actWords, article }) : actWords;
}

/**
 * An authority's name as the reader would say it: English for English, the state language's name for a
 * Kazakh reader when the body has one, else the official (Russian) name.
 */
export function authorityWords(
  messages: Messages,
  authority: { slug: string; name: string; local_name?: string | null } | null | undefined,
): string | null {
  if (!authority) return null;
  const entry = CATALOGUED.get(authority.slug);
  if (messages.locale === 'en') return entry?.name ?? authority.name;
  if (messages.locale === 'kk' && entry?.stateLanguageName?.language === 'kk')
    return entry.stateLanguageName.name;
  return entry?.localName ?? authority.local_name ?? authority.name;
}

const LATIN = /^[\p{Script=Latin}\s.'’-]+$/u;
const CYRILLIC = /^[\p{Script=Cyrillic}\s.'’«»"-]+$/u;

/**
 * The name people use for an authority (Roskomnadzor, Роскомнадзор) where a full official name would
 * swamp a heading: the first alias in the reader's alphabet that is a word, not an acronym; else the
 * official name.
 */
export function shortAuthorityWords(
  messages: Messages,
  authority: { slug: string; name: string; local_name?: string | null } | null | undefined,
): string | null {
  if (!authority) return null;
  const entry = CATALOGUED.get(authority.slug);
  const full = authorityWords(messages, authority);
  if (!entry || (messages.locale === 'kk' && entry.stateLanguageName?.language === 'kk')) return full;
  const script = messages.locale === 'en' ? LATIN : CYRILLIC;
  const short = entry.aliases.find(
    (alias) =>
      script.test(alias) &&
      alias.length >= 5 &&
      alias !== alias.toUpperCase() &&
      alias.length < (full ?? '').length,
  );
  return short ?? full;
}

/** An authority's name by its slug alone (a facet value), when the catalogue knows it. */
export function authorityWordsBySlug(messages: Messages, slug: string, fallback?: string): string {
  const entry = CATALOGUED.get(slug);
  if (!entry) return fallback ?? slug;
  return shortAuthorityWords(messages, { slug, name: entry.name, local_name: entry.localName }) ?? slug;
}

export type VocabularyKind =
  'status' | 'action' | 'event' | 'response' | 'visibility' | 'channel' | 'role' | 'docStatus';

/** A coded value's words from the catalogue (`status.refused`), or the code itself when it has none. */
export function vocabularyWords(messages: Messages, kind: VocabularyKind, value: string): string {
  const key = `${kind}.${value}` as MessageKey;
  return key in CATALOGUES.en ? messages.t(key) : value;
}

/** A language code's name in the reader's language. */
export function languageWords(messages: Messages, code: string): string {
  try {
    return new Intl.DisplayNames(messages.locale, { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const SOURCE_KEYS: Record<string, MessageKey> = {
  archive: 'facet.source.archive',
  registry: 'order.sourceKind.registry',
  'gov-takedowns': 'order.sourceKind.govTakedowns',
  lumen: 'order.sourceKind.lumen',
};

/** Where an order came from in words: filed here (archive), or the collection it was imported from. */
export function sourceWords(messages: Messages, source: string): string {
  const key = SOURCE_KEYS[source];
  return key ? messages.t(key) : source;
}
