// Writes a synthetic blocking-registry dump of N rows in the shapes of the shared sample: its rows are
// the templates (same bodies in the same proportions, decision-number shapes, URL paths, IP lists,
// Cyrillic IDNs, quoted URLs with ;), with hosts, addresses and numbers varied so that N rows make about
// as many decisions and targets as a real dump of that size (~1.4 rows per decision).
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

/** A small seeded generator (mulberry32): the same N gives the same dump. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CYRILLIC_DIGITS = 'абвгдежзик';

/** `base` made distinct for the n-th site: Latin labels get digits, Cyrillic ones Cyrillic letters. */
function variedHost(host: string, n: number): string {
  const labels = host.split('.');
  const index = labels.length > 2 && labels[0] === 'www' ? 1 : 0;
  const label = labels[index]!;
  const suffix = /\p{Script=Cyrillic}/u.test(label)
    ? [...String(n)].map((digit) => CYRILLIC_DIGITS[Number(digit)]).join('')
    : String(n);
  labels[index] = `${label}${suffix}`;
  return labels.join('.');
}

function quoted(field: string): string {
  return /[";\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export async function writeSyntheticRegistry(
  samplePath: string,
  target: string,
  rows: number,
): Promise<void> {
  const text = iconv.decode(await readFile(samplePath), 'win1251');
  const templates = (
    parse(text.slice(text.indexOf('\n') + 1), {
      delimiter: ';',
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][]
  ).filter((fields) => fields.length === 6);
  const next = random(42);
  const out = createWriteStream(target);
  const write = async (line: string) => {
    if (!out.write(iconv.encode(line, 'win1251'))) await once(out, 'drain');
  };
  await write('Updated: 2016-06-13 12:04:00 +0000\n');
  let decision = 0;
  let template = templates[0]!;
  for (let row = 0; row < rows; row += 1) {
    // A new decision for ~70% of rows; the others are further targets of the one before.
    if (row === 0 || next() < 0.7) {
      decision += 1;
      template = templates[Math.floor(next() * templates.length)]!;
    }
    const [ips, domain, urls, body, number, date] = template as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const site = Math.floor(row * 0.8);
    const host = domain.replace(/^\*\./, '');
    const newHost = host && !/^[\d.]+$/.test(host) ? variedHost(host, site) : host;
    const newDomain = domain.startsWith('*.') ? `*.${newHost}` : newHost;
    const newIps = ips
      .split(' | ')
      .map(
        () =>
          `${1 + Math.floor(next() * 222)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 254)}`,
      )
      .join(' | ');
    const newUrls = urls
      .split(' | ')
      .filter((url) => url !== '')
      .map((url) => (host ? url.split(host).join(newHost) : url) + (url.endsWith('/') ? `${row}` : `/${row}`))
      .join(' | ');
    const newNumber = `${number.trim()}-${decision}`;
    await write(`${[newIps, newDomain, quoted(newUrls), body, newNumber, date].join(';')}\n`);
  }
  out.end();
  await once(out, 'finish');
}
