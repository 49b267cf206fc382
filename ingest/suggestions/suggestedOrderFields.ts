// Turns ranked suggestions into the order fields they make, in the form the order schema accepts.
// Types only: the sandbox that reads suggestions never loads TypeBox.
import type { SuggestedOrderFields, TextSuggestions } from './suggestionSchema.ts';

/** The limits the order schema (server/schemas/orders.ts) puts on the same fields. */
export const ORDER_FIELD_LIMITS = { legalBasis: 50, demandedActions: 20, targets: 200, referenceNumber: 200 };

type Evidence = Omit<TextSuggestions, 'order_fields'>;

/** The likeliest value of each field, left out when nothing was found (so sending them clears nothing). */
export function suggestedOrderFields(evidence: Evidence): SuggestedOrderFields {
  const fields: SuggestedOrderFields = {};
  const authority = evidence.authorities[0];
  if (authority) fields.authority = authority.slug;
  const reference = evidence.reference_numbers[0];
  if (reference && reference.confidence > 0 && reference.value.length <= ORDER_FIELD_LIMITS.referenceNumber) {
    fields.reference_number = reference.value;
  }
  const date = evidence.dates[0];
  if (date && !date.law && date.score > 0) fields.issued_on = date.iso;
  const codes = [...new Set(evidence.legal_basis.map((citation) => citation.code))];
  if (codes.length) fields.legal_basis = codes.slice(0, ORDER_FIELD_LIMITS.legalBasis);
  // The likeliest action only: the others found are often what follows a refusal («в противном случае
  // доступ будет ограничен»), listed in the evidence for the editor to add.
  const action = evidence.demanded_actions[0];
  if (action) fields.demanded_actions = [action.action];
  const targets = evidence.urls.filter((url) => url.target).map((url) => ({ url: url.canonical }));
  if (targets.length) fields.targets = targets.slice(0, ORDER_FIELD_LIMITS.targets);
  if (evidence.language) fields.language = evidence.language.code;
  return fields;
}
