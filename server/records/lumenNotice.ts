// An order as a notice of the Lumen Database (lumendatabase.org), in the JSON its API answers with
// (app/serializers/notice_serializer.rb and its subclasses): `{"<type>": {…}}`, a court's order as a
// CourtOrder, any other body's demand as a GovernmentRequest (the law-enforcement request shape: the
// text as `explanation`, the targets under `works[].urls_in_request`). Lumen's tools read ours so; the
// keys Lumen does not have (`archive_id`, `archive_url`) are ignored by them.
import type { ExportedOrder } from '../schemas/exports.ts';

/** Lumen's action_taken words for where the order stands. */
const ACTION_TAKEN: Record<string, 'Yes' | 'No' | 'Partial' | 'Unspecified'> = {
  complied: 'Yes',
  partially_complied: 'Partial',
  refused: 'No',
  challenged: 'No',
  received: 'Unspecified',
  withdrawn: 'Unspecified',
};

const dateTime = (date: string | null) => (date ? `${date.slice(0, 10)}T00:00:00.000Z` : null);

export function lumenNoticeOf(order: ExportedOrder, internalId: number): Record<string, unknown> {
  const court = order.authority?.kind === 'court';
  const urls = order.targets.map((target) => ({ url: target.url }));
  const work = court
    ? { subject_of_court_order: order.stated_reason ?? order.summary, targetted_urls: urls }
    : {
        subject_of_enforcement_request: order.stated_reason ?? order.summary,
        original_work_urls: [],
        urls_in_request: urls,
      };
  const notice = {
    id: internalId,
    type: court ? 'CourtOrder' : 'GovernmentRequest',
    title: `${order.authority?.name ?? 'Unknown authority'}: demand ${order.reference_number ?? order.id}`,
    explanation: order.summary,
    date_sent: dateTime(order.issued_on),
    date_received: dateTime(order.received_on),
    date_submitted: order.created_at,
    topics: [],
    sender_name: order.authority?.name ?? null,
    principal_name: order.authority?.local_name ?? order.authority?.name ?? null,
    recipient_name: order.outlet?.name ?? null,
    works: [work],
    tags: order.demanded_actions,
    jurisdictions: order.authority ? [order.authority.country] : [],
    action_taken: ACTION_TAKEN[order.status] ?? 'Unspecified',
    language: order.language,
    case_id_number: order.reference_number,
    ...(court
      ? { laws_referenced: order.legal_basis }
      : { regulations: order.legal_basis, request_type: 'Agency' }),
    archive_id: order.id,
    archive_url: order.url,
  };
  return { [court ? 'court_order' : 'government_request']: notice };
}
