// How to cite an order: plain text, BibTeX, CSL-JSON and RIS, each carrying the permanent link, and for
// every document its anchor on the order's page, its sha256 and its place in the transparency log (leaf
// index, checkpoint size), so a reader can check that the file they hold is the one cited and was logged.
// Pure formatting: the API (GET /api/orders/:id/citation) and the order page share it.

export interface CitedDocument {
  id: number;
  sha256: string;
  filename: string | null;
  /** The document on the order's page: the permalink and `#document-<id>`. */
  anchor: string;
  /** Its leaf in the transparency log; null before the log holds it. */
  logIndex: number | null;
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
  /** The size of the latest signed checkpoint, which a proof of each logged document leads to. */
  checkpointSize: number | null;
}

/** Where the log holds a document: "log leaf 16 of checkpoint 1284", or null when it does not yet. */
function logPlace(data: CitationData, document: CitedDocument): string | null {
  if (document.logIndex === null) return null;
  const signed = data.checkpointSize !== null && data.checkpointSize > document.logIndex;
  return signed
    ? `log leaf ${document.logIndex} of checkpoint ${data.checkpointSize}`
    : `log leaf ${document.logIndex}`;
}

/** One document as a citation names it: anchor, sha256 and its place in the log. */
function documentNote(data: CitationData, document: CitedDocument): string {
  const place = logPlace(data, document);
  return [`${document.anchor} sha256:${document.sha256}`, ...(place ? [place] : [])].join(', ');
}

const hashes = (data: CitationData) => data.documents.map((document) => documentNote(data, document));

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

/** A value on one RIS line: no line breaks, no surrounding space. */
const risText = (value: string) => value.replace(/\s+/g, ' ').trim();

/** RIS (Research Information Systems), read by Zotero, EndNote, Mendeley: `TAG  - value` lines, CRLF. */
export function risCitation(data: CitationData): string {
  const lines: [string, string][] = [
    ['TY', 'GOVDOC'],
    ['ID', data.publicId],
    ['TI', data.title],
    ...(data.authority ? ([['AU', data.authority]] as [string, string][]) : []),
    ...(data.issuedOn
      ? ([
          ['PY', data.issuedOn.slice(0, 4)],
          ['DA', data.issuedOn.replaceAll('-', '/')],
        ] as [string, string][])
      : []),
    ...(data.referenceNumber ? ([['M1', data.referenceNumber]] as [string, string][]) : []),
    ...(data.outlet ? ([['KW', data.outlet]] as [string, string][]) : []),
    ['PB', data.archiveName],
    ['UR', data.permalink],
    ['Y2', data.accessedOn.replaceAll('-', '/')],
    ['N1', `${data.archiveName} ${data.publicId}`],
    ...data.documents.map((document) => ['N1', documentNote(data, document)] as [string, string]),
    ['ER', ''],
  ];
  return lines.map(([tag, value]) => `${tag}  - ${risText(value)}`).join('\r\n') + '\r\n';
}
