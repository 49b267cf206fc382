// Renders search hits as an Atom feed (RFC 4287), newest first.
import type { SearchHit } from '../schemas/search.ts';

export interface FeedEntry extends SearchHit {
  created_at: number;
  updated_at: number;
  summary_text: string | null;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function xml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped, the rest escaped.
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (character) => XML_ESCAPES[character]!);
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function entryTitle(entry: FeedEntry): string {
  const authority = entry.authority?.name ?? 'Unknown authority';
  const actions = entry.demanded_actions.length
    ? `: ${entry.demanded_actions.join(', ').replaceAll('_', ' ')}`
    : '';
  return `${entry.id} — ${authority}${actions} (${entry.status.replaceAll('_', ' ')})`;
}

function entrySummary(entry: FeedEntry): string {
  const targets = entry.targets.map((target) => target.display_url).join(', ');
  return [
    entry.issued_on ? `Issued ${entry.issued_on}.` : '',
    entry.legal_basis.length ? `Legal basis: ${entry.legal_basis.join(', ')}.` : '',
    targets ? `Targets: ${targets}.` : '',
    entry.summary_text ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function renderAtomFeed(feed: {
  title: string;
  selfUrl: string;
  baseUrl: string;
  entries: FeedEntry[];
}): string {
  const updated = feed.entries.reduce((latest, entry) => Math.max(latest, entry.updated_at), 0);
  const entries = feed.entries.map((entry) => {
    const link = `${feed.baseUrl}${entry.url}`;
    return `  <entry>
    <id>${xml(link)}</id>
    <title>${xml(entryTitle(entry))}</title>
    <link rel="alternate" href="${xml(link)}"/>
    <published>${iso(entry.created_at)}</published>
    <updated>${iso(entry.updated_at)}</updated>
${entry.authority ? `    <author><name>${xml(entry.authority.name)}</name></author>\n` : ''}${[
      ...entry.legal_basis,
      entry.status,
    ]
      .map((term) => `    <category term="${xml(term)}"/>\n`)
      .join('')}    <summary type="text">${xml(entrySummary(entry))}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(feed.selfUrl)}</id>
  <title>${xml(feed.title)}</title>
  <link rel="self" href="${xml(feed.selfUrl)}"/>
  <updated>${new Date(updated ? updated * 1000 : Date.now()).toISOString()}</updated>
  <author><name>Takedown Archive</name></author>
${entries.join('\n')}
</feed>
`;
}
