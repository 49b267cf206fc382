// The three catalogues agree: the same keys, no empty message, every message parses as ICU, the same
// placeholders in each language, and every key the pages use exists.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES } from '../../server/web/i18n/messages.ts';

const WEB = path.resolve(import.meta.dirname, '../../server/web');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

/** The names of a message's arguments ({name}, {count, plural, …}). */
function argumentsOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((match) => match[1]!))].sort();
}

describe('message catalogues', () => {
  const english = Object.keys(CATALOGUES.en).sort();

  it.each(LOCALES.filter((locale) => locale !== 'en'))('%s has exactly the keys of en', (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(english);
  });

  it.each(LOCALES)('%s: no empty message, each parses, the same arguments as English', (locale) => {
    for (const [key, message] of Object.entries(CATALOGUES[locale])) {
      expect(message.trim(), `${locale} ${key}`).not.toBe('');
      expect(() => new IntlMessageFormat(message, locale), `${locale} ${key}`).not.toThrow();
      expect(argumentsOf(message), `${locale} ${key}`).toEqual(
        argumentsOf(CATALOGUES.en[key as keyof typeof CATALOGUES.en]),
      );
    }
  });

  it('has every key the pages ask for with t(…)', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(WEB)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !(key in CATALOGUES.en));
    expect(missing).toEqual([]);
  });

  it('has words for every status, action, event, response, channel, role and document status', async () => {
    const enums = await import('../../server/schemas/enums.ts');
    const documents = await import('../../server/schemas/documents.ts');
    const expected = [
      ...enums.ORDER_STATUSES.map((value) => `status.${value}`),
      ...enums.DEMANDED_ACTIONS.map((value) => `action.${value}`),
      ...enums.EVENT_KINDS.map((value) => `event.${value}`),
      ...enums.RESPONSE_KINDS.map((value) => `response.${value}`),
      ...enums.CHANNELS.map((value) => `channel.${value}`),
      ...enums.VISIBILITIES.map((value) => `visibility.${value}`),
      ...documents.DOCUMENT_ROLES.map((value) => `role.${value}`),
      ...documents.DOCUMENT_STATUSES.map((value) => `docStatus.${value}`),
    ];
    expect(expected.filter((key) => !(key in CATALOGUES.en))).toEqual([]);
  });
});
