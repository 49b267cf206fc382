// Reads what a gov-takedowns path says: `Country/YYYY/YYYY-MM-DD-agency[-N].md`, the note perhaps in a
// folder of its own beside its PDFs (`Country/YYYY/YYYY-MM-DD-agency/…`).
import path from 'node:path';

/** The country folders of github/gov-takedowns, and a few it may gain. */
const COUNTRY_FOLDERS: Record<string, string> = {
  Russia: 'RU',
  China: 'CN',
  'Hong Kong': 'HK',
  Singapore: 'SG',
  Spain: 'ES',
  India: 'IN',
  Turkey: 'TR',
  Kazakhstan: 'KZ',
  Belarus: 'BY',
  Ukraine: 'UA',
};

const NOTE_NAME = /^(\d{4})-(\d{2})-(\d{2})-(.+?)(?:-(\d+))?\.md$/;

export interface NoticeName {
  /** The path from the country folder on (`Russia/2019/2019-01-30-roskomnadzor.md`): the import reference. */
  reference: string;
  country: string;
  /** YYYY-MM-DD: the day GitHub received the notice. */
  date: string;
  /** The agency as the file name spells it (`roskomnadzor`, `Rozkomnadzor`, `MPS`), or a repository's name. */
  agency: string;
  /** The N of `-N`: the day's Nth notice from that agency. */
  sequence: number;
}

/** The notice a note's path names, or why it is not one. */
export function readNoticeName(file: string): NoticeName | { notANotice: string } {
  const parts = file.split(path.sep);
  const match = NOTE_NAME.exec(parts.at(-1) ?? '');
  if (!match) return { notANotice: 'the name is not YYYY-MM-DD-agency[-N].md' };
  const [, year, month, day, agency, sequence] = match;
  const date = `${year}-${month}-${day}`;
  if (
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  )
    return { notANotice: `${date} is not a date` };
  const yearIndex = parts.lastIndexOf(year!);
  const countryFolder = yearIndex > 0 ? parts[yearIndex - 1]! : undefined;
  const country = countryFolder ? COUNTRY_FOLDERS[countryFolder] : undefined;
  if (!countryFolder || !country)
    return { notANotice: `it is not in a Country/${year} folder of a country the importer knows` };
  return {
    reference: parts.slice(yearIndex - 1).join('/'),
    country,
    date,
    agency: agency!,
    sequence: sequence ? Number(sequence) : 1,
  };
}
