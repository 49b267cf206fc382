// Finds the web addresses in a demand and tells the targeted pages from the authority's own links.
import { domainToASCII } from 'node:url';
import { AUTHORITY_CATALOG } from '../../domain/authorityCatalog.ts';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';

export const NON_TARGET_REASONS = ['authority-site', 'reference-site'] as const;
export type NonTargetReason = (typeof NON_TARGET_REASONS)[number];

export interface FoundUrl {
  canonical: string;
  display: string;
  host: string;
  raw: string;
  start: number;
  end: number;
  /** True when the address is (probably) content the demand wants removed or blocked. */
  target: boolean;
  /** Why an address is not a target. */
  reason?: NonTargetReason;
}

// Sites a demand links to as references: law portals, and platforms' own terms and help pages.
const REFERENCE_HOSTS = [
  'consultant.ru',
  'garant.ru',
  'pravo.gov.ru',
  'kremlin.ru',
  'government.ru',
  'docs.cntd.ru',
  'adilet.zan.kz',
  'online.zakon.kz',
  'egov.kz',
  'cbd.minjust.gov.kg',
  'help.github.com',
  'docs.github.com',
  'support.google.com',
  'policies.google.com',
  'transparency.fb.com',
  'telegram.org',
];

const AUTHORITY_HOSTS = AUTHORITY_CATALOG.flatMap((entry) =>
  (entry.websites ?? []).map((host) => domainToASCII(host) || host),
);

const URL_CHARACTERS = String.raw`[^\s<>"«»“”'\u0060\[\]{}|\\^]`;
const SCHEME_URL = new RegExp(String.raw`https?:\/\/${URL_CHARACTERS}+`, 'giu');
// A bare domain only counts with a path ("vlast.kz/novosti/123"): bare names like "README.md" are files.
const BARE_URL = new RegExp(
  String.raw`(?<![\p{L}\p{N}@.\/:_-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+|рф|қаз|каз|бел|укр|срб|рус|онлайн|сайт)\/${URL_CHARACTERS}*`,
  'giu',
);
const TRAILING_PUNCTUATION = /[.,;:!?…»"'’)\]]+$/u;

/** Every distinct web address in `text`, in order of first appearance. */
export function findUrls(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  const taken: [number, number][] = [];
  for (const pattern of [SCHEME_URL, BARE_URL]) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      if (taken.some(([from, to]) => start >= from && start < to)) continue;
      const raw = trimUrl(match[0]);
      taken.push([start, start + raw.length]);
      const url = describe(raw, start);
      if (url) found.push(url);
    }
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.start - b.start)
    .filter((url) => (seen.has(url.canonical) ? false : (seen.add(url.canonical), true)));
}

/** Strips sentence punctuation after an address, but keeps a closing bracket the address opened. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trailing = TRAILING_PUNCTUATION.exec(url);
    if (!trailing) return url;
    const kept = keepBalancedClosers(url.slice(0, trailing.index), trailing[0]);
    if (kept === trailing[0]) return url;
    url = url.slice(0, trailing.index) + kept;
  }
}

function keepBalancedClosers(body: string, trailing: string): string {
  const opens = (body.match(/\(/g) ?? []).length - (body.match(/\)/g) ?? []).length;
  return trailing.startsWith(')') && opens > 0
    ? `)${keepBalancedClosers(`${body})`, trailing.slice(1))}`
    : '';
}

function describe(raw: string, start: number): FoundUrl | null {
  let canonical;
  try {
    canonical = canonicalizeUrl(raw);
  } catch {
    return null;
  }
  const reason = nonTargetReason(canonical.host);
  return {
    ...canonical,
    raw,
    start,
    end: start + raw.length,
    target: !reason,
    ...(reason ? { reason } : {}),
  };
}

function nonTargetReason(host: string): NonTargetReason | undefined {
  const within = (site: string) => host === site || host.endsWith(`.${site}`);
  if (AUTHORITY_HOSTS.some(within)) return 'authority-site';
  if (REFERENCE_HOSTS.some(within)) return 'reference-site';
  return undefined;
}
