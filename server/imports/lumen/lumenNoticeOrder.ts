// Turns one Lumen notice into the order the archive keeps: its sender the issuing body, its works' URLs
// the targets, its dates, and what the recipient did (action_taken) as the order's status and an event.
import { createHash } from 'node:crypto';
import { findAuthorityMentions } from '../../../domain/authorityCatalog.ts';
import type { ImportedEvent, ImportedOrderFields } from '../../commands/importedOrderSaver.ts';
import type { AuthorityInput } from '../../schemas/references.ts';
import type { LumenNotice, LumenUrl } from './lumenNotices.ts';

export interface LumenSender {
  slug: string;
  /** Set when the sender is not a catalogued body: the body to create. */
  newBody?: Omit<AuthorityInput, 'slug'>;
}

/** Longest text an order field holds (server/schemas/orders.ts). */
const LONG_TEXT = 20_000;

const DATA_REQUESTS = new Set(['Civil Subpoena', 'Records Preservation', 'Subpoena', 'Warrant']);

/** The catalogued body the sender (or principal) names, else a body of the notice's own to create. */
export function senderOf(notice: LumenNotice, type: string): LumenSender | undefined {
  for (const name of [notice.sender_name, notice.principal_name]) {
    const mention = name ? findAuthorityMentions(name)[0] : undefined;
    if (mention) return { slug: mention.slug };
  }
  const name = (notice.sender_name ?? notice.principal_name ?? '').trim().slice(0, 500);
  if (!name) return undefined;
  const words = name
    .toLowerCase()
    .normalize('NFKD')
    // Accents come apart from their letters: drop them, so "Genève" is "geneve", not "gene-ve".
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  // A name in another script has no ASCII words: its hash keeps it one body across imports.
  const slug = `lumen-${words || createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
  const country = notice.jurisdictions
    ?.map((code) => code.toUpperCase())
    .find((code) => /^[A-Z]{2}$/.test(code));
  return {
    slug,
    newBody: {
      name,
      aliases: [name],
      // ZZ: ISO 3166's code for "unknown", where the notice names no jurisdiction.
      country: country ?? 'ZZ',
      kind: type === 'court_order' ? 'court' : 'other',
    },
  };
}

export function fieldsOf(notice: LumenNotice): ImportedOrderFields {
  const laws = Array.isArray(notice.laws_referenced)
    ? notice.laws_referenced.join('; ')
    : notice.laws_referenced;
  const text = notice.body ?? notice.explanation ?? null;
  return {
    reference_number: notice.case_id_number?.slice(0, 200) || null,
    issued_on: dateOf(notice.date_sent),
    received_on: dateOf(notice.date_received),
    summary: summaryOf(notice),
    stated_reason: text ? text.slice(0, LONG_TEXT) : null,
    legal_basis_raw: laws ? laws.slice(0, LONG_TEXT) : null,
    language: notice.language && /^[a-z]{2,3}$/.test(notice.language) ? notice.language : null,
    demanded_actions: [
      notice.request_type && DATA_REQUESTS.has(notice.request_type) ? 'disclose_data' : 'remove',
    ],
    status: STATUS_OF_ACTION[notice.action_taken ?? ''] ?? 'received',
  };
}

const STATUS_OF_ACTION: Record<string, ImportedOrderFields['status']> = {
  Yes: 'complied',
  Partial: 'partially_complied',
  No: 'refused',
};

/** The title, and who sent it for whom to whom: Lumen's parties, which an order has no columns for. */
function summaryOf(notice: LumenNotice): string | null {
  const parties = [
    notice.sender_name && `Sender: ${notice.sender_name}`,
    notice.principal_name &&
      notice.principal_name !== notice.sender_name &&
      `On behalf of: ${notice.principal_name}`,
    notice.recipient_name && `Recipient: ${notice.recipient_name}`,
  ].filter(Boolean);
  const summary = [notice.title?.trim(), parties.join('. ')].filter(Boolean).join('\n');
  return summary ? summary.slice(0, LONG_TEXT) : null;
}

/** The infringing (or, in a court order, targeted) URLs of every work, each once. */
export function targetsOf(notice: LumenNotice): { url: string; note?: string }[] {
  const targets = new Map<string, { url: string; note?: string }>();
  for (const work of notice.works ?? []) {
    const subject = (work.description ?? work.subject_of_court_order)?.trim().slice(0, 2000);
    for (const entry of [...(work.infringing_urls ?? []), ...(work.targetted_urls ?? [])]) {
      const target = targetOf(entry, subject);
      if (target && !targets.has(target.url)) targets.set(target.url, target);
    }
  }
  return [...targets.values()];
}

function targetOf(entry: LumenUrl, subject: string | undefined): { url: string; note?: string } | undefined {
  if (entry.url) return { url: entry.url, ...(subject ? { note: subject } : {}) };
  if (entry.fqdn) {
    const count = entry.count ? ` (${entry.count} URLs on this host, not listed by Lumen)` : '';
    return { url: `http://${entry.fqdn}/`, note: `${subject ?? 'Host'}${count}`.slice(0, 2000) };
  }
  return undefined;
}

/** What the recipient did, where Lumen records that it acted. */
export function outcomeEventsOf(notice: LumenNotice, sourceUrl: string | null): ImportedEvent[] {
  const acted = notice.action_taken === 'Yes' || notice.action_taken === 'Partial';
  const on = dateOf(notice.date_received) ?? dateOf(notice.date_sent);
  if (!acted || !on) return [];
  return [
    {
      kind: 'blocked',
      occurredOn: on,
      description: `${notice.recipient_name ?? 'The recipient'} acted on the notice${notice.action_taken === 'Partial' ? ' in part' : ''} (Lumen: action taken "${notice.action_taken}")`,
      sourceUrl,
    },
  ];
}

function dateOf(value: string | null | undefined): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}
