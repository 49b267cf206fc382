// Reads one row of Russia's unified blocking registry dump (the Zapret-Info `dump.csv` format) into a
// decision and its targets, or says in words why the row cannot be read. Pure: the streaming lives in
// server/imports/registry/, the writing in server/commands/registryBatchImporter.ts.
import { canonicalizeUrl, InvalidUrlError } from './canonicalUrl.ts';

/** What a registry entry blocks; each becomes a target of its decision's order. */
export type RegistryTargetKind = 'url' | 'domain' | 'ip';

export interface RegistryTarget {
  kind: RegistryTargetKind;
  /** The archive's identity of the target (canonicalUrl.ts): punycode host, https. */
  canonical: string;
  /** The same for people: Unicode host (`76автобар.рф`), decoded Cyrillic path. */
  display: string;
  host: string;
  /** `*.example.com` in the registry: the domain and every name under it. */
  wildcard: boolean;
}

export interface RegistryRow {
  line: number;
  /** The issuing body exactly as the registry writes it (`Генпрокуратура`, `суд`). */
  body: string;
  /** The decision number as written, trimmed (`27-31-2015/Ид831-15`, `б/н`). */
  decisionNumber: string;
  /** YYYY-MM-DD. */
  decisionDate: string;
  targets: RegistryTarget[];
  /** Targets of an otherwise good row that could not be read (kept out, reported with the line). */
  skippedTargets: { value: string; reason: string }[];
}

export interface RegistryRowProblem {
  line: number;
  reason: string;
}

/** The first line of a full dump, or of its first chunk: `Updated: 2016-06-13 12:04:00 +0000`. */
export function parseUpdatedLine(line: string): Date | undefined {
  const match = /^Updated:\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*([+-]\d{2}):?(\d{2})?\s*$/.exec(
    line.trim(),
  );
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}${match[3]}:${match[4] ?? '00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** One decision: the issuing body, its number and date. Rows sharing it are one order. */
export function decisionKey(row: Pick<RegistryRow, 'body' | 'decisionNumber' | 'decisionDate'>): string {
  return `${row.body}|${row.decisionNumber}|${row.decisionDate}`;
}

const FIELD_COUNT = 6;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*$/i;

/** Reads the six fields of a row (IPs; domain; URLs; body; number; date). */
export function parseRegistryRow(fields: string[], line: number): RegistryRow | RegistryRowProblem {
  if (fields.length !== FIELD_COUNT) {
    return { line, reason: `expected ${FIELD_COUNT} fields separated by ";", found ${fields.length}` };
  }
  const [ips = '', domain = '', urls = '', rawBody = '', rawNumber = '', rawDate = ''] = fields;
  const body = rawBody.trim();
  const decisionNumber = rawNumber.trim();
  const decisionDate = rawDate.trim();
  if (body === '') return { line, reason: 'the issuing body (field 4) is empty' };
  if (decisionNumber === '') return { line, reason: 'the decision number (field 5) is empty' };
  if (!DATE.test(decisionDate) || Number.isNaN(Date.parse(`${decisionDate}T00:00:00Z`))) {
    return { line, reason: `the decision date (field 6) "${decisionDate}" is not a date YYYY-MM-DD` };
  }

  const targets: RegistryTarget[] = [];
  const skippedTargets: { value: string; reason: string }[] = [];
  const seen = new Set<string>();
  const add = (value: string, kind: RegistryTargetKind) => {
    const target = readTarget(value, kind);
    if ('reason' in target) skippedTargets.push({ value, reason: target.reason });
    else if (!seen.has(target.canonical)) {
      seen.add(target.canonical);
      targets.push(target);
    }
  };
  // URLs first: a row's most precise target keeps its kind when its domain or IP names the same address.
  // A quoted URL may itself hold " | ": the list is split only where the next part starts a new URL.
  for (const url of splitList(urls, / \| (?=https?:\/\/)/i)) add(url, 'url');
  for (const name of splitList(domain, / \| /)) add(name, 'domain');
  for (const ip of splitList(ips, /\s*\|\s*/)) add(ip, 'ip');
  if (targets.length === 0) {
    return {
      line,
      reason:
        skippedTargets.length === 0
          ? 'the row names no IP address, domain or URL'
          : `none of its targets can be read: ${skippedTargets.map((s) => `"${s.value}" (${s.reason})`).join('; ')}`,
    };
  }
  return { line, body, decisionNumber, decisionDate, targets, skippedTargets };
}

export function isRowProblem(row: RegistryRow | RegistryRowProblem): row is RegistryRowProblem {
  return 'reason' in row;
}

function splitList(field: string, separator: RegExp): string[] {
  return field
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

// The same IPs and domains recur over thousands of rows (a hosting provider's addresses, one site's many
// URLs): their reading is remembered, in a bounded map so memory stays flat over a million rows.
const READ_TARGETS = new Map<string, RegistryTarget | { reason: string }>();
const READ_TARGETS_KEPT = 20_000;
// A plain dotted quad without leading zeros reads as itself (WHATWG would take `010` as octal).
const PLAIN_IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function readTarget(value: string, kind: RegistryTargetKind): RegistryTarget | { reason: string } {
  const key = `${kind} ${value}`;
  let read = READ_TARGETS.get(key);
  if (read === undefined) {
    read = readTargetAfresh(value, kind);
    if (READ_TARGETS.size >= READ_TARGETS_KEPT) READ_TARGETS.clear();
    READ_TARGETS.set(key, read);
  }
  return read;
}

function readTargetAfresh(value: string, kind: RegistryTargetKind): RegistryTarget | { reason: string } {
  if (kind === 'ip' && PLAIN_IPV4.test(value)) {
    const url = `https://${value}/`;
    return { kind, canonical: url, display: url, host: value, wildcard: false };
  }
  let address = value;
  let wildcard = false;
  if (kind === 'domain' && address.startsWith('*.')) {
    wildcard = true;
    address = address.slice(2);
  }
  if (kind === 'ip') {
    if (address.includes('/')) return { reason: 'an address range (CIDR) is not one target' };
    if (IPV6.test(address)) address = `[${address}]`;
    else if (!IPV4.test(address)) return { reason: 'not an IPv4 or IPv6 address' };
  }
  if (kind === 'url' && !/^https?:\/\//i.test(address)) {
    return { reason: 'a URL must start with http:// or https://' };
  }
  try {
    const { canonical, display, host } = canonicalizeUrl(address);
    return { kind, canonical, display, host, wildcard };
  } catch (error) {
    if (error instanceof InvalidUrlError) return { reason: error.message };
    throw error;
  }
}
