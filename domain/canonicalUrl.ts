// Turns a web address as people paste it into one canonical form, so the same targeted page is one record.
import { domainToASCII, domainToUnicode } from 'node:url';

export interface CanonicalUrl {
  /** The identity of the page: ASCII only (punycode host, percent-encoded path), no tracking, sorted query. */
  canonical: string;
  /** The same address for people to read: Unicode host and decoded non-ASCII path, `www.` kept as typed. */
  display: string;
  /** The canonical (punycode, `www.`-less) host, for grouping by site. */
  host: string;
}

/** A user-facing rejection of something that is not an archivable web address. */
export class InvalidUrlError extends Error {
  override readonly name = 'InvalidUrlError';
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

// Parameters that identify the click, the campaign or the sharer, never the page: dropping them makes
// the same article shared from Telegram, a newsletter and Yandex one target instead of three.
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'ysclid',
  '_openstat',
  'mc_cid',
  'mc_eid',
  'igshid',
  'igsh',
  'si',
  '_ga',
  '_gl',
  'ref_src',
  'ref_url',
  'mkt_tok',
  'twclid',
  'ttclid',
  'rb_clickid',
  'wt.mc_id',
]);
const TRACKING_PREFIXES = ['utm_', 'hsa_', 'pk_', 'mtm_'];

const MAX_URL_LENGTH = 8192;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Canonicalises a pasted web address, or throws {@link InvalidUrlError} with a message a user can act on.
 * An address without a scheme (`vlast.kz/novosti/123`) is taken as https.
 */
export function canonicalizeUrl(raw: string): CanonicalUrl {
  const input = raw.trim();
  if (input === '') throw new InvalidUrlError('The web address is empty.', raw);
  if (input.length > MAX_URL_LENGTH) {
    throw new InvalidUrlError(`The web address is longer than ${MAX_URL_LENGTH} characters.`, raw);
  }

  const parsed = parseHttpUrl(withScheme(input, raw), raw);
  const unicodeHost = stripTrailingDot(parsed.hostname);
  const asciiHost = domainToASCII(unicodeHost) || unicodeHost;
  requireRealHost(asciiHost, raw);

  const path = trimTrailingSlash(normalizePercentEncoding(parsed.pathname));
  const query = canonicalQuery(parsed.search);
  const fragment = keptFragment(parsed.hash);
  const port = parsed.port ? `:${parsed.port}` : '';
  const scheme = parsed.protocol; // WHATWG URL already lowercases it and drops default ports.
  // The same page is cited as http:// and https:// (registries from before TLS, old links, outlets'
  // own redirects): without an explicit port both are one identity, written as https.
  const canonicalScheme = port ? scheme : 'https:';

  // `www.` is stripped only in the canonical form: outlets, registries and authorities cite both forms
  // of the same site, and nearly every site serves one as an alias of the other.
  const canonicalHost = asciiHost.replace(/^www\./, '');
  return {
    canonical: `${canonicalScheme}//${canonicalHost}${port}${path}${query}${fragment}`,
    display: `${scheme}//${domainToUnicode(asciiHost) || asciiHost}${port}${decodeNonAscii(path)}${decodeNonAscii(query)}${decodeNonAscii(fragment)}`,
    host: canonicalHost,
  };
}

// Scripts a homograph is made of. A name's letters are classed by these; anything else is "other".
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Arabic',
  'Hebrew',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
  'Thai',
  'Devanagari',
].map((name) => ({ name, letter: new RegExp(`^\\p{Script=${name}}$`, 'u') }));
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
// Scripts written together by one language (Unicode TS #39, "highly restrictive"): Japanese, Chinese, Korean.
const WRITTEN_TOGETHER = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/**
 * Whether a label of the host mixes alphabets that no language writes together, as a homograph does
 * (`оutlet-a.example` with a Cyrillic о imitating `outlet-a.example`). Takes a punycode or Unicode host.
 * Each label is judged alone: a Cyrillic name under a Latin top-level domain (`президент.kz`) is fine.
 */
export function mixesScripts(host: string): boolean {
  const unicodeHost = domainToUnicode(host) || host;
  return unicodeHost.split('.').some((label) => {
    const scripts = new Set<string>();
    for (const character of label) {
      if (NEUTRAL.test(character)) continue;
      scripts.add(SCRIPTS.find((script) => script.letter.test(character))?.name ?? 'other');
    }
    if (scripts.size < 2) return false;
    return !WRITTEN_TOGETHER.some((together) => [...scripts].every((script) => together.includes(script)));
  });
}

function withScheme(input: string, raw: string): string {
  if (input.startsWith('//')) return `https:${input}`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input);
  // `vlast.kz:8080/x` looks like a scheme followed by a port number: it is a host without a scheme.
  if (scheme && !/^\d/.test(input.slice(scheme[0].length))) {
    const name = scheme[1]!.toLowerCase();
    if (name !== 'http' && name !== 'https') {
      throw new InvalidUrlError(
        `Only web pages (http or https) can be recorded; this address starts with "${name}:".`,
        raw,
      );
    }
    return input;
  }
  return `https://${input}`;
}

function parseHttpUrl(candidate: string, raw: string): URL {
  try {
    return new URL(candidate);
  } catch {
    throw new InvalidUrlError(`"${raw.trim()}" is not a valid web address.`, raw);
  }
}

function stripTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function requireRealHost(host: string, raw: string): void {
  const isIpv6 = host.startsWith('[');
  const isDotted = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(host);
  if (!isIpv6 && !isDotted) {
    throw new InvalidUrlError(
      `"${raw.trim()}" has no public domain name (expected something like vlast.kz/...).`,
      raw,
    );
  }
}

function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

/** Uppercases escapes, decodes escaped unreserved characters, escapes stray `%` and raw non-ASCII. */
function normalizePercentEncoding(text: string): string {
  return text
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(/%[0-9A-Fa-f]{2}/g, (escape) => {
      const character = String.fromCharCode(parseInt(escape.slice(1), 16));
      return UNRESERVED.test(character) ? character : escape.toUpperCase();
    })
    .replace(/[^\x21-\x7E]/gu, (character) => encodeURIComponent(character));
}

function isTracking(encodedName: string): boolean {
  const name = safeDecode(encodedName.replace(/\+/g, ' ')).toLowerCase();
  return TRACKING_PARAMETERS.has(name) || TRACKING_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const name = separator === -1 ? pair : pair.slice(0, separator);
      return { name: normalizePercentEncoding(name), pair: normalizePercentEncoding(pair) };
    })
    .filter(({ name }) => !isTracking(name));
  // A stable sort by name keeps repeated parameters (a=1&a=2) in their meaningful order.
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pairs.length ? `?${pairs.map(({ pair }) => pair).join('&')}` : '';
}

// Fragments only move the reader within a page, except hash-bang and hash routes of single-page sites,
// where the fragment is the address of the content itself.
function keptFragment(hash: string): string {
  return /^#[!/]/.test(hash) ? normalizePercentEncoding(hash) : '';
}

/** Decodes runs of escaped non-ASCII bytes (Cyrillic words) and leaves escaped ASCII as it is. */
function decodeNonAscii(text: string): string {
  return text.replace(/(?:%[89A-F][0-9A-F])+/g, (run) => safeDecode(run));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
