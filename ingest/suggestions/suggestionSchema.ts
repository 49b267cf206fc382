// The suggestions read from a document's text, as one TypeBox schema: the type suggestFromText returns,
// what the documents API answers, and its OpenAPI description. Here, not in server/, because ingest/
// never imports server/ (server imports this).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AUTHORITY_KINDS } from '../../domain/authorityCatalog.ts';
import { CITATION_CODE_MAX_LENGTH, CITATION_CODE_PATTERN } from '../../domain/legalCitation.ts';
import { DEMANDED_ACTIONS } from '../../domain/orderVocabulary.ts';
import { LANGUAGE_CODES } from './detectLanguage.ts';
import { DEADLINE_UNITS } from './findDeadline.ts';
import { PERSONAL_DATA_KINDS } from './findPersonalData.ts';
import { REFERENCE_KINDS } from './findReferenceNumbers.ts';
import { NON_TARGET_REASONS } from './findUrls.ts';
import { ORDER_FIELD_LIMITS } from './suggestedOrderFields.ts';

function enumeration<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Confidence = Type.Number({
  minimum: 0,
  maximum: 1,
  description: 'this candidate’s share of the evidence among its kind (0 to 1)',
});
const Offset = (what: string) => Type.Integer({ minimum: 0, description: `${what}, in characters` });
const Raw = Type.String({ description: 'as written in the text' });

export const CitationCode = Type.String({
  pattern: CITATION_CODE_PATTERN,
  maxLength: CITATION_CODE_MAX_LENGTH,
  description: 'normalised citation COUNTRY/ACT[/ARTICLE], e.g. RU/149-FZ/15.3',
});

export const SuggestedOrderFields = Type.Object(
  {
    authority: Type.Optional(
      Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'slug of the likeliest sender' }),
    ),
    reference_number: Type.Optional(
      Type.String({ maxLength: ORDER_FIELD_LIMITS.referenceNumber, description: 'the demand’s number' }),
    ),
    issued_on: Type.Optional(
      Type.String({
        format: 'date',
        description: 'YYYY-MM-DD: the demand’s own date (the first of dates), never a cited law’s',
      }),
    ),
    legal_basis: Type.Optional(
      Type.Array(CitationCode, { maxItems: ORDER_FIELD_LIMITS.legalBasis, uniqueItems: true }),
    ),
    demanded_actions: Type.Optional(
      Type.Array(enumeration(DEMANDED_ACTIONS, 'What the authority demands'), {
        maxItems: ORDER_FIELD_LIMITS.demandedActions,
        uniqueItems: true,
        description: 'the likeliest action (the most mentioned; others are in demanded_actions below)',
      }),
    ),
    targets: Type.Optional(
      Type.Array(
        Type.Object(
          { url: Type.String({ minLength: 4, maxLength: 4000, description: 'canonical URL' }) },
          { additionalProperties: false },
        ),
        { maxItems: ORDER_FIELD_LIMITS.targets, description: 'the pages the demand is about' },
      ),
    ),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$', description: 'ISO 639-1' })),
  },
  {
    additionalProperties: false,
    description:
      'The order fields these suggestions make, ready to send as they are (POST /api/orders, PATCH ' +
      '/api/orders/{id}; each target to /api/orders/{id}/targets). A field is left out when nothing was ' +
      'found, so sending them never clears what is there.',
  },
);
export type SuggestedOrderFields = Static<typeof SuggestedOrderFields>;

export const LanguageSuggestion = Type.Object(
  {
    code: enumeration(LANGUAGE_CODES, 'the language most of the text is written in'),
    others: Type.Array(enumeration(LANGUAGE_CODES, 'another language'), {
      description: 'other languages holding a sizeable share of the text',
    }),
  },
  { description: 'the text’s language(s), ISO 639-1' },
);

export const AuthoritySuggestion = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
  kind: enumeration(AUTHORITY_KINDS, 'what kind of body'),
  matched: Type.Array(Type.String(), { description: 'distinct spellings found' }),
  mentions: Type.Integer({ minimum: 0 }),
  first_index: Offset('where it is first named'),
  score: Type.Number({ description: 'mentions, weighted up in the signature and for the text’s country' }),
  confidence: Confidence,
});

export const ReferenceSuggestion = Type.Object({
  value: Type.String({ description: 'the number as stored and searched: 04-37/1234, 70203-РИ, 2а-205/2020' }),
  kind: enumeration(REFERENCE_KINDS, 'outgoing letter number, incoming, register entry, court case or other'),
  raw: Raw,
  start: Offset('start'),
  end: Offset('end'),
  confidence: Confidence,
});

export const DateSuggestion = Type.Object({
  iso: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
  raw: Raw,
  start: Offset('start'),
  end: Offset('end'),
  law: Type.Boolean({ description: 'part of a law’s or regulation’s name: never the demand’s own date' }),
  score: Type.Number({
    description: 'evidence it is the demand’s own date (own line, «от»/dated, a № beside)',
  }),
  confidence: Confidence,
});

export const CitationSuggestion = Type.Object({
  code: CitationCode,
  act: Type.String({ description: 'the act’s code, e.g. RU/149-FZ' }),
  article: Type.Optional(Type.String()),
  raw: Raw,
  index: Offset('start'),
});

export const UrlSuggestion = Type.Object({
  canonical: Type.String(),
  display: Type.String(),
  host: Type.String(),
  raw: Raw,
  start: Offset('start'),
  end: Offset('end'),
  target: Type.Boolean({ description: 'probably content the demand wants removed or blocked' }),
  reason: Type.Optional(enumeration(NON_TARGET_REASONS, 'why an address is not a target')),
});

export const DeadlineSuggestion = Type.Object(
  {
    amount: Type.Integer({ minimum: 1 }),
    unit: enumeration(DEADLINE_UNITS, 'unit of the amount'),
    raw: Raw,
    start: Offset('start'),
    end: Offset('end'),
  },
  { description: 'the time given to comply, counted from receipt (so not an order’s deadline_at)' },
);

export const DemandedActionSuggestion = Type.Object({
  action: enumeration(DEMANDED_ACTIONS, 'What the authority demands'),
  mentions: Type.Integer({ minimum: 1 }),
  evidence: Type.String({ description: 'the first wording found, as written' }),
  index: Offset('start of the evidence'),
  confidence: Confidence,
});

export const PersonalDataSuggestion = Type.Object({
  kind: enumeration(PERSONAL_DATA_KINDS, 'e-mail, phone or national identification number'),
  value: Type.String({ description: 'the text as written (what a redaction would cover)' }),
  start: Offset('start'),
  end: Offset('end'),
});

export const TextSuggestions = Type.Object(
  {
    order_fields: SuggestedOrderFields,
    language: Nullable(LanguageSuggestion),
    authorities: Type.Array(AuthoritySuggestion, { description: 'likeliest sender first' }),
    reference_numbers: Type.Array(ReferenceSuggestion, {
      description: 'likeliest number of the demand first',
    }),
    dates: Type.Array(DateSuggestion, {
      description: 'each date once, the demand’s likeliest own date first, laws’ dates last',
    }),
    legal_basis: Type.Array(CitationSuggestion, {
      description:
        'one per citation code, in text order; an act alone is dropped when an article of it is cited',
    }),
    urls: Type.Array(UrlSuggestion, { description: 'one per canonical URL, in text order' }),
    deadline: Nullable(DeadlineSuggestion),
    demanded_actions: Type.Array(DemandedActionSuggestion, { description: 'most mentioned first' }),
    personal_data: Type.Array(PersonalDataSuggestion, { description: 'places to suggest for redaction' }),
  },
  { description: 'read from the text by rules, for a person to confirm; nothing here is applied on its own' },
);
export type TextSuggestions = Static<typeof TextSuggestions>;
