// Schemas for authorities, outlets and articles, as the API shows and accepts them.
import { Type, type Static } from '@sinclair/typebox';
import { Cursor, DateOnly, ID_DIGITS, SafeText } from './common.ts';
import { AuthorityKind } from './enums.ts';

// A slug of digits alone would read as an id, so a slug has a letter or a dash.
const SLUG = '(?![0-9]+$)[a-z0-9]+(-[a-z0-9]+)*';
export const Slug = Type.String({ pattern: `^${SLUG}$`, minLength: 2, maxLength: 80 });
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, e.g. KZ' });
/** A record named by its numeric id or its slug. */
export const IdOrSlug = Type.String({
  pattern: `^(${ID_DIGITS}|${SLUG})$`,
  maxLength: 80,
  description: 'numeric id or slug',
});
const Name = SafeText({ minLength: 1, maxLength: 500 });

export const Authority = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  local_name: Type.Union([Type.String(), Type.Null()]),
  aliases: Type.Array(Type.String()),
  country: Type.String(),
  kind: AuthorityKind,
  parent_id: Type.Union([Type.Integer(), Type.Null()]),
});
export type Authority = Static<typeof Authority>;

export const AuthorityInput = Type.Object(
  {
    slug: Slug,
    name: Name,
    local_name: Type.Optional(Name),
    aliases: Type.Optional(Type.Array(SafeText({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    country: CountryCode,
    kind: AuthorityKind,
    parent: Type.Optional(IdOrSlug),
  },
  { additionalProperties: false },
);
export type AuthorityInput = Static<typeof AuthorityInput>;

export const Outlet = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  domains: Type.Array(Type.String()),
});
export type Outlet = Static<typeof Outlet>;

/** A host name as typed (Unicode or punycode), without scheme, port or path: no link can hide in it. */
const OutletDomain = Type.String({
  minLength: 3,
  maxLength: 253,
  pattern: '^(?!-)[\\p{L}\\p{N}_-]+(\\.[\\p{L}\\p{N}_-]+)+\\.?$',
  description: 'a host name, e.g. vlast.kz',
});

export const OutletInput = Type.Object(
  {
    slug: Slug,
    name: Name,
    country: Type.Optional(CountryCode),
    domains: Type.Optional(
      Type.Array(OutletDomain, {
        maxItems: 20,
      }),
    ),
  },
  { additionalProperties: false },
);
export type OutletInput = Static<typeof OutletInput>;

export const Article = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  canonical_url: Type.String(),
  display_url: Type.String({ description: 'canonical URL with the domain in Unicode' }),
  mixed_scripts: Type.Boolean({
    description:
      'the domain mixes alphabets within a name (e.g. Cyrillic о in оutlet-a.example): it may imitate another site',
  }),
  title: Type.Union([Type.String(), Type.Null()]),
  published_on: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  outlet: Type.Union([Outlet, Type.Null()]),
});
export type Article = Static<typeof Article>;

export const ArticleInput = Type.Object(
  {
    url: SafeText({ minLength: 4, maxLength: 4000 }),
    title: Type.Optional(SafeText({ maxLength: 2000 })),
    published_on: Type.Optional(DateOnly),
    outlet: Type.Optional(IdOrSlug),
  },
  { additionalProperties: false },
);
export type ArticleInput = Static<typeof ArticleInput>;

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Cursor),
});

export function pageOf<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'pass as cursor for the next page',
    }),
  });
}
