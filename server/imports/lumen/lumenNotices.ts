// Reads Lumen's notice JSON (app/serializers/notice_serializer.rb): one notice wrapped in its type
// (`{"dmca": {…}}`, `{"court_order": {…}}`), a search page (`{"notices": [{…, "type": "DMCA"}]}`), or an
// array of either.
import { readFile } from 'node:fs/promises';

export interface LumenUrl {
  url?: string;
  /** A notice too long to list gives hosts and counts instead of URLs. */
  fqdn?: string;
  count?: number;
}

export interface LumenWork {
  description?: string | null;
  subject_of_court_order?: string | null;
  infringing_urls?: LumenUrl[];
  targetted_urls?: LumenUrl[];
  copyrighted_urls?: LumenUrl[];
}

export interface LumenNotice {
  id?: number | string;
  type?: string;
  title?: string | null;
  body?: string | null;
  explanation?: string | null;
  date_sent?: string | null;
  date_received?: string | null;
  sender_name?: string | null;
  principal_name?: string | null;
  recipient_name?: string | null;
  works?: LumenWork[];
  jurisdictions?: string[];
  action_taken?: string | null;
  language?: string | null;
  case_id_number?: string | null;
  laws_referenced?: string[] | string | null;
  request_type?: string | null;
}

export interface ReadNotice {
  /** The file, and the notice's place in it when it holds several (`page.json#2`). */
  file: string;
  /** Its type in the wrapper's spelling (dmca, court_order, government_request…). */
  type: string;
  notice: LumenNotice;
}

/** The notices in one JSON file (`name` is how reports call it), or why it holds none. */
export async function readNoticeJson(
  file: string,
  name: string,
): Promise<{ notices: ReadNotice[]; unreadable?: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { notices: [], unreadable: `not JSON: ${(error as Error).message}` };
  }
  const found = noticesIn(json);
  if (found.length === 0)
    return { notices: [], unreadable: 'no Lumen notice in it ({"<type>": {…}} or {"notices": […]})' };
  return {
    notices: found.map((entry, index) => ({
      file: found.length > 1 ? `${name}#${index + 1}` : name,
      ...entry,
    })),
  };
}

function noticesIn(json: unknown): { type: string; notice: LumenNotice }[] {
  if (Array.isArray(json)) return json.flatMap(noticesIn);
  if (!isObject(json)) return [];
  if (Array.isArray(json.notices)) {
    return json.notices
      .filter(isObject)
      .map((notice) => ({ type: typeKey(String(notice.type ?? 'other')), notice }));
  }
  const keys = Object.keys(json);
  if (keys.length === 1 && isObject(json[keys[0]!])) {
    const notice = json[keys[0]!] as LumenNotice;
    if ('id' in notice || 'works' in notice || 'sender_name' in notice)
      return [{ type: typeKey(keys[0]!), notice }];
  }
  return [];
}

/** `CourtOrder`, `Court Order` and `court_order` are one type. */
function typeKey(type: string): string {
  return type
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
