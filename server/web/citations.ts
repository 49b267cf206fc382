// How to cite an order: plain text, BibTeX and CSL-JSON, each carrying the permanent link and the
// sha256 of every document, so a reader can check that the file they hold is the one cited.

export interface CitedDocument {
  sha256: string;
  filename: string | null;
}

export interface CitationData {
  publicId: string;
  /** The order's permanent link, absolute (https://archive.example/orders/TD-2026-00001). */
  permalink: string;
  /** The order's title in the reader's words ("Order TD-2026-00001 by Roskomnadzor"). */
  title: string;
  authority: string | null;
  outlet: string | null;
  referenceNumber: string | null;
  /** YYYY-MM-DD */
  issuedOn: string | null;
  documents: CitedDocument[];
  /** When the reader looked (YYYY-MM-DD). */
  accessedOn: string;
  archiveName: string;
}

const hashes = (data: CitationData) => data.documents.map((document) => `sha256:${document.sha256}`);

export function plainCitation(data: CitationData): string {
  const parts = [
    data.authority,
    data.referenceNumber,
    data.issuedOn,
    data.title,
    data.outlet,
    `${data.archiveName}, ${data.publicId}`,
    data.permalink,
    ...hashes(data),
  ].filter((part): part is string => Boolean(part));
  return `${parts.join('. ')}.`;
}

const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
};

/** Text for a BibTeX field: braces balanced, TeX's special characters escaped. */
function bibtexText(value: string): string {
  return value.replace(/[\\{}%&$#_^~]/g, (character) => TEX_SPECIALS[character]!).replace(/\s+/g, ' ');
}

export function bibtexCitation(data: CitationData): string {
  const key = data.publicId.replace(/[^A-Za-z0-9-]/g, '');
  const fields: [string, string][] = [
    ['title', `{${bibtexText(data.title)}}`],
    ...(data.authority ? ([['author', `{${bibtexText(data.authority)}}`]] as [string, string][]) : []),
    ...(data.issuedOn
      ? ([
          ['date', data.issuedOn],
          ['year', data.issuedOn.slice(0, 4)],
        ] as [string, string][])
      : []),
    ...(data.referenceNumber ? ([['number', bibtexText(data.referenceNumber)]] as [string, string][]) : []),
    ['howpublished', bibtexText(data.archiveName)],
    ['url', data.permalink],
    ['urldate', data.accessedOn],
    ['note', bibtexText([`${data.archiveName} ${data.publicId}`, ...hashes(data)].join('; '))],
  ];
  return `@misc{${key},\n${fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n')}\n}\n`;
}

function dateParts(date: string): { 'date-parts': number[][] } {
  return { 'date-parts': [date.split('-').map(Number)] };
}

export function cslCitation(data: CitationData): string {
  const item = {
    id: data.publicId,
    type: 'document',
    title: data.title,
    ...(data.authority ? { author: [{ literal: data.authority }] } : {}),
    ...(data.issuedOn ? { issued: dateParts(data.issuedOn) } : {}),
    ...(data.referenceNumber ? { number: data.referenceNumber } : {}),
    publisher: data.archiveName,
    URL: data.permalink,
    accessed: dateParts(data.accessedOn),
    note: [`${data.archiveName} ${data.publicId}`, ...hashes(data)].join('; '),
  };
  return JSON.stringify([item], null, 2);
}
