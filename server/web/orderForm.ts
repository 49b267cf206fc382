// The order form of the upload page and the desk: the order's fields as a form holds them (strings, one
// per input), pre-filled from what its documents' suggestions found where the order has nothing yet, each
// such field marked "suggested" until the person confirms it (ticks it, or changes the value). A posted form
// becomes the same OrderUpdateInput the API's PATCH /api/orders/:id takes, checked by the same schema.
import { normalizeCitationCode } from '../../domain/legalCitation.ts';
import { DEMANDED_ACTIONS } from '../../domain/orderVocabulary.ts';
import type { DocumentDetail, DocumentSummary } from '../schemas/documents.ts';
import type { OrderStory, OrderUpdateInput } from '../schemas/orders.ts';

export const FORM_FIELDS = [
  'authority',
  'reference_number',
  'issued_on',
  'received_on',
  'deadline_on',
  'legal_basis',
  'demanded_actions',
  'targets',
  'visibility',
  'embargo_on',
  'summary',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The fields a suggestion can fill. */
export const SUGGESTIBLE: readonly FormField[] = [
  'authority',
  'reference_number',
  'issued_on',
  'deadline_on',
  'legal_basis',
  'demanded_actions',
  'targets',
];

export interface OrderFormValues {
  authority: string;
  reference_number: string;
  issued_on: string;
  received_on: string;
  deadline_on: string;
  /** Citation codes, one per line. */
  legal_basis: string;
  demanded_actions: string[];
  /** Addresses of targeted articles to add, one per line. */
  targets: string;
  visibility: string;
  embargo_on: string;
  summary: string;
}

export interface OrderForm {
  values: OrderFormValues;
  /** Fields pre-filled from the documents' suggestions and not yet confirmed, with the suggested value. */
  suggested: Partial<Record<FormField, string>>;
  problems: { field: FormField | 'form'; message: string }[];
  /** The story's ETag the form was filled from (If-Match of the change). */
  etag: string;
}

export type SuggestionsByDocument = Map<number, DocumentDetail['suggestions']>;

/** A date or instant as a date input holds it (an instant may arrive from pg as a Date: its UTC day). */
const dateOf = (value: string | Date | null | undefined) =>
  !value ? '' : (value instanceof Date ? value.toISOString() : value).slice(0, 10);
const lines = (value: string) =>
  value
    .split(/[\n\r,;]+/)
    .map((line) => line.trim())
    .filter(Boolean);
/** Addresses, one per line (an address may hold commas). */
const addresses = (value: string) =>
  value
    .split(/[\n\r]+/)
    .map((line) => line.trim())
    .filter(Boolean);

/** A suggestion's value for each field, as the form writes it; the order's own documents first. */
export function suggestedValues(
  documents: DocumentSummary[],
  suggestions: SuggestionsByDocument,
  story: Pick<OrderStory, 'received_on' | 'issued_on' | 'targets'>,
): Partial<Record<FormField, string>> {
  const ordered = [...documents].sort(
    (a, b) => Number(b.role === 'order') - Number(a.role === 'order') || a.id - b.id,
  );
  const found: Partial<Record<FormField, string>> = {};
  const targeted = new Set(story.targets.map((target) => target.article.canonical_url));
  const urls: string[] = [];
  for (const document of ordered) {
    const read = suggestions.get(document.id);
    if (!read) continue;
    const fields = read.order_fields;
    found.authority ??= fields.authority;
    found.reference_number ??= fields.reference_number;
    found.issued_on ??= fields.issued_on;
    if (fields.legal_basis?.length) found.legal_basis ??= fields.legal_basis.join('\n');
    if (fields.demanded_actions?.length) found.demanded_actions ??= fields.demanded_actions.join('\n');
    for (const target of fields.targets ?? []) {
      if (!targeted.has(target.url) && !urls.includes(target.url)) urls.push(target.url);
    }
    if (read.deadline && found.deadline_on === undefined) {
      const from = story.received_on ?? story.issued_on ?? found.issued_on;
      if (from) found.deadline_on = deadlineFrom(from, read.deadline.amount, read.deadline.unit);
    }
  }
  if (urls.length) found.targets = urls.join('\n');
  for (const field of Object.keys(found) as FormField[]) if (!found[field]) delete found[field];
  return found;
}

/** The day a deadline of `amount` units, counted from `from` (YYYY-MM-DD), falls on. */
export function deadlineFrom(from: string, amount: number, unit: string): string {
  const day = new Date(`${from}T00:00:00Z`);
  if (unit === 'hours') day.setUTCHours(day.getUTCHours() + amount);
  else if (unit === 'months') {
    // The same day of the month, or the month's last day when it has none (31 January + 1 month: 28 February).
    const wanted = day.getUTCDate();
    day.setUTCDate(1);
    day.setUTCMonth(day.getUTCMonth() + amount);
    const last = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
    day.setUTCDate(Math.min(wanted, last));
  } else if (unit === 'working-days') {
    for (let left = amount; left > 0;) {
      day.setUTCDate(day.getUTCDate() + 1);
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) left -= 1;
    }
  } else day.setUTCDate(day.getUTCDate() + amount);
  return day.toISOString().slice(0, 10);
}

/** The form as the order stands, with its empty fields filled from the suggestions (marked so). */
export function formFromStory(
  story: OrderStory,
  suggestions: Partial<Record<FormField, string>>,
  etag: string,
): OrderForm {
  const values: OrderFormValues = {
    authority: story.authority?.slug ?? '',
    reference_number: story.reference_number ?? '',
    issued_on: dateOf(story.issued_on),
    received_on: dateOf(story.received_on),
    deadline_on: dateOf(story.deadline_at),
    legal_basis: story.legal_basis.join('\n'),
    demanded_actions: [...story.demanded_actions],
    targets: '',
    visibility: story.visibility,
    embargo_on: dateOf(story.embargo_until),
    summary: story.summary ?? '',
  };
  const suggested: Partial<Record<FormField, string>> = {};
  for (const field of SUGGESTIBLE) {
    const value = suggestions[field];
    if (value === undefined) continue;
    const empty = field === 'demanded_actions' ? values.demanded_actions.length === 0 : !values[field];
    if (!empty) continue;
    suggested[field] = value;
    if (field === 'demanded_actions') values.demanded_actions = lines(value);
    else values[field] = value;
  }
  return { values, suggested, problems: [], etag };
}

export type FormBody = Partial<Record<FormField | 'etag' | 'confirm', string | string[]>>;

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
const many = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A posted form's values, and which suggestions it leaves unconfirmed. */
export function formFromBody(body: FormBody, suggestions: Partial<Record<FormField, string>>): OrderForm {
  const values: OrderFormValues = {
    authority: one(body.authority).trim(),
    reference_number: one(body.reference_number).trim(),
    issued_on: one(body.issued_on).trim(),
    received_on: one(body.received_on).trim(),
    deadline_on: one(body.deadline_on).trim(),
    legal_basis: one(body.legal_basis),
    demanded_actions: many(body.demanded_actions),
    targets: one(body.targets),
    visibility: one(body.visibility) || 'private',
    embargo_on: one(body.embargo_on).trim(),
    summary: one(body.summary),
  };
  const confirmed = new Set(many(body.confirm));
  const suggested: Partial<Record<FormField, string>> = {};
  for (const field of SUGGESTIBLE) {
    const value = suggestions[field];
    if (value === undefined || confirmed.has(field)) continue;
    const sent = field === 'demanded_actions' ? values.demanded_actions.join('\n') : values[field];
    // A changed value is the person's own: only an untouched suggestion still awaits confirmation.
    if (lines(sent).join('\n') === lines(value).join('\n')) suggested[field] = value;
  }
  return { values, suggested, problems: [], etag: one(body.etag) };
}

const FIELD_OF_PATH: Record<string, FormField> = {
  '/authority': 'authority',
  '/reference_number': 'reference_number',
  '/issued_on': 'issued_on',
  '/received_on': 'received_on',
  '/deadline_at': 'deadline_on',
  '/legal_basis': 'legal_basis',
  '/demanded_actions': 'demanded_actions',
  '/visibility': 'visibility',
  '/embargo_until': 'embargo_on',
  '/summary': 'summary',
};

/** The input field an API error names (`legal_basis`, `body/embargo_until`…), if it is on the form. */
export function formFieldOf(apiField: string | undefined): FormField | undefined {
  if (!apiField) return undefined;
  const name = apiField.replace(/^body\//, '').split('/')[0]!;
  return FIELD_OF_PATH[`/${name}`];
}

/**
 * The change the form asks for, checked by the API's own schema (`refusedPaths`: the paths of the input
 * the OrderUpdateInput validator refuses, e.g. `/embargo_until`); the fields it refuses come back by name.
 * Dates are days: a deadline or an embargo ends at the start of its day, UTC.
 */
export function changesFromForm(
  values: OrderFormValues,
  refusedPaths: (changes: Record<string, unknown>) => string[],
): { changes: OrderUpdateInput; invalid: FormField[]; targets: string[] } {
  const dayStart = (day: string) => (day ? `${day}T00:00:00Z` : null);
  const changes: Record<string, unknown> = {
    reference_number: values.reference_number || null,
    issued_on: values.issued_on || null,
    received_on: values.received_on || null,
    deadline_at: dayStart(values.deadline_on),
    legal_basis: [...new Set(lines(values.legal_basis).map(normalizeCitationCode))],
    demanded_actions: [...new Set(values.demanded_actions)],
    visibility: values.visibility,
    embargo_until: values.visibility === 'embargoed' ? dayStart(values.embargo_on) : null,
    summary: values.summary.trim() || null,
  };
  if (values.authority) changes.authority = values.authority;
  const invalid = new Set<FormField>();
  for (const refused of refusedPaths(changes)) {
    const field = FIELD_OF_PATH[`/${refused.split('/')[1]}`];
    if (field) invalid.add(field);
  }
  if (!values.authority) invalid.add('authority');
  if (values.visibility === 'embargoed' && !values.embargo_on) invalid.add('embargo_on');
  for (const action of values.demanded_actions) {
    if (!(DEMANDED_ACTIONS as readonly string[]).includes(action)) invalid.add('demanded_actions');
  }
  return { changes: changes as OrderUpdateInput, invalid: [...invalid], targets: addresses(values.targets) };
}
