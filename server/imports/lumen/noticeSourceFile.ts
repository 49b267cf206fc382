// Reads a notice's source as Lumen's legacy ingestor kept it: a web form's e-mail (Google's
// `field_group_N_…:` and `url_box_N:` forms, Blogger's, YouTube's, Twitter's `== Name: value`), as plain
// text or wrapped in an HTML <PRE>, maybe in Latin-1, its subject perhaps MIME-encoded (`=?UTF-8?B?…?=`).
import iconv from 'iconv-lite';
import type { LumenNotice, LumenWork } from './lumenNotices.ts';

export interface FormField {
  key: string;
  value: string;
}

export interface NoticeSource {
  /** The form's fields in order; a value runs on over the lines after its own, up to a blank line. */
  fields: FormField[];
  /** The e-mail's subject (or the page's title), encoded words decoded. */
  subject: string | null;
  from: string | null;
}

/** A notice read from its source: what Lumen's parsers take from the form. */
export interface SourceNotice {
  type: string;
  notice: LumenNotice;
  /** A "legal other" complaint filed with no company name: a private person's (Lumen shows its sender as REDACTED). */
  byPrivatePerson: boolean;
  /** The date field as written, where one is there but is not a date. */
  unreadableDate: string | null;
}

/** The text of a source file: UTF-8 where the bytes are, else the Windows-1252 the old forms wrote. */
export function decodeSourceBytes(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return utf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1252');
  }
}

const FIELD_LINE = /^([A-Za-z][\w-]*):[ \t]?(.*)$/;
const TWITTER_FIELD_LINE = /^== ([^:]+?):[ \t]?(.*)$/;

export function parseNoticeSource(text: string): NoticeSource {
  const title = /<title>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(text)?.[1];
  const body = pre !== undefined ? decodeEntities(pre) : text;
  const fields: FormField[] = [];
  let current: FormField | undefined;
  for (const line of body.split(/\r?\n/)) {
    const match = FIELD_LINE.exec(line) ?? TWITTER_FIELD_LINE.exec(line);
    // `http://…` on a line of its own continues a value: a scheme is not a field.
    if (match && !match[2]!.startsWith('//')) {
      current = { key: match[1]!, value: match[2]! };
      fields.push(current);
    } else if (line.trim() === '') {
      current = undefined;
    } else if (current) {
      current.value += `\n${line}`;
    }
  }
  for (const field of fields) field.value = field.value.trim();
  const single = (key: string) => fields.find((field) => field.key === key)?.value.split('\n')[0] || null;
  const subject = single('Subject') ?? (title ? decodeEntities(title).replace(/^EMAIL:\s*/, '') : null);
  return {
    fields,
    subject: subject ? decodeEncodedWords(subject).trim() || null : null,
    from: single('From'),
  };
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as a mail reader shows them. */
export function decodeEncodedWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (word, charset: string, encoding: string, data: string) => {
      if (!iconv.encodingExists(charset)) return word;
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return iconv.decode(bytes, charset);
    });
}

/** Fields whose values are the addresses the notice wants removed, as Lumen's parsers read them. */
const INFRINGING_KEYS = [
  /^url_box\d*_\d+$/, // Google's secondary DMCA and "legal other" forms
  /^a\d+_infringing_url$/i, // Blogger
  /^url_of_infringing_material$/, // eb_dmca
  /^(videourl|multi_video_urls|defamatoryvids|otherurls|trademark2_username)$/, // YouTube
  /^Reported Tweet URL$/, // Twitter
];
const GROUP_DESCRIPTION = /^field_group_(\d+)_work_description$/;
const GROUP_URL = /^field_group_(\d+)_infringement_url_\d+$/;
/** What the complainant says of the work or the wrong, per form, first found first. */
const DESCRIPTION_KEYS = [
  'description_of_copyrighted_work',
  'a06_copyrighted_work',
  'legalother_explain',
  'trademark2_describe',
  'trademark_clarifications',
  'defamatorystatements',
  'violating_law',
  'Description of original work',
];
const SENDER_KEYS = [
  'field_submitter_company',
  'trademark2_company',
  'companyname',
  'a03_company_name',
  'dmca_company_name',
  'Company',
];
const PRINCIPAL_KEYS = [
  'field_copyright_owner',
  'represented_copyright_holder',
  'representedrightsholder',
  'a04_copyright_holder',
  'trademark2_owner',
  'trademarkowner',
  'Copyright owner',
];
const COUNTRY_KEYS = [
  'field_location_or_region',
  'country',
  'country_residence',
  'geolocation',
  'hidden_country',
];

/** The notice a source's form describes. */
export function noticeOfSource(source: NoticeSource): SourceNotice {
  const value = (key: string) => source.fields.find((field) => field.key === key)?.value.trim() || null;
  const firstOf = (keys: string[]) =>
    keys.map(value).find((found) => found && found.toLowerCase() !== 'self') ?? null;
  const issue = value('IssueType') ?? '';
  const sender = firstOf(SENDER_KEYS);
  const principal = firstOf(PRINCIPAL_KEYS);
  const country = COUNTRY_KEYS.map(value).find((code) => code && /^[A-Za-z]{2}$/.test(code));
  const language = value('Language')?.split(/[-_]/)[0]?.toLowerCase();
  const { date, unreadable } = dateOf(value);
  return {
    type: typeOf(issue, source),
    notice: {
      title: source.subject,
      sender_name: sender,
      principal_name: principal,
      recipient_name: recipientOf(issue, source),
      date_sent: date,
      works: worksOf(source.fields, firstOf(DESCRIPTION_KEYS)),
      jurisdictions: country ? [country.toUpperCase()] : [],
      language: language ?? null,
    },
    byPrivatePerson: /legalother/.test(issue) && !sender,
    unreadableDate: date ? null : unreadable,
  };
}

function worksOf(fields: FormField[], description: string | null): LumenWork[] {
  const groups = new Map<string, LumenWork>();
  const group = (n: string) => {
    if (!groups.has(n)) groups.set(n, { description: null, infringing_urls: [] });
    return groups.get(n)!;
  };
  const loose: LumenWork = { description, infringing_urls: [] };
  for (const { key, value } of fields) {
    const described = GROUP_DESCRIPTION.exec(key);
    if (described) group(described[1]!).description = value;
    const listed = GROUP_URL.exec(key);
    // The primary form holds one address per field, spaces and all.
    if (listed && value) group(listed[1]!).infringing_urls!.push({ url: value.replace(/\s/g, '%20') });
    if (INFRINGING_KEYS.some((pattern) => pattern.test(key)))
      loose.infringing_urls!.push(...urlsIn(value).map((url) => ({ url })));
  }
  return [...groups.values(), loose].filter((work) => work.infringing_urls!.length > 0);
}

/** The web addresses written in a text, without the punctuation that closes a sentence or a bracket. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"'[\]]+/g)].map((match) => match[0].replace(/[.,;:)]+$/, ''));
}

function typeOf(issue: string, source: NoticeSource): string {
  if (/dmca/i.test(issue) || source.fields.some((field) => field.key === 'field_form_version')) return 'dmca';
  if (source.fields.some((field) => field.key === 'Reported Tweet URL')) return 'dmca';
  if (/trademark|counterfeit/i.test(issue)) return 'trademark';
  if (/defamation/i.test(issue)) return 'defamation';
  return 'other';
}

function recipientOf(issue: string, source: NoticeSource): string | null {
  if (/youtube\.com/i.test(source.from ?? '')) return 'YouTube (Google, Inc.)';
  if (/^blogger/.test(issue)) return 'Google, Inc. [Blogger]';
  if (/google\.com/i.test(source.from ?? '') || issue) return 'Google, Inc.';
  if (source.fields.some((field) => field.key === 'Reported Tweet URL')) return 'Twitter';
  return null;
}

/** The day the form was signed or sent, however that form writes it. */
function dateOf(value: (key: string) => string | null): { date: string | null; unreadable: string | null } {
  for (const prefix of ['signature_date', 'dmca_signature_date']) {
    const [year, month, day] = ['year', 'month', 'day'].map((part) => value(`${prefix}_${part}`));
    if (year && month && day)
      return checked(Number(year), Number(month), Number(day), `${day}/${month}/${year}`);
  }
  const submitted = value('field_form_submission_time'); // MM/DD/YYYY PDT
  const us = submitted && /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(submitted);
  if (us) return checked(Number(us[3]), Number(us[1]), Number(us[2]), submitted);
  const signed = value('a11_signed_date'); // DD/MM/YY, Blogger's French form
  const european = signed && /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/.exec(signed);
  if (european) return checked(2000 + Number(european[3]), Number(european[2]), Number(european[1]), signed);
  return { date: null, unreadable: submitted ?? signed ?? value('dmca_signature_date') };
}

function checked(year: number, month: number, day: number, written: string) {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid
    ? { date: date.toISOString().slice(0, 10), unreadable: null }
    : { date: null, unreadable: written };
}

function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}
