// Finds the body an imported order names by slug, creating it (once per run, reported) when the
// archive does not know it yet: a catalogued body is already seeded, a new one is the importer's.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { createAuthority } from '../commands/referenceCreator.ts';
import type { AuthorityInput } from '../schemas/references.ts';

export class ImportedAuthorities {
  private readonly ids = new Map<string, number>();
  /** Slugs created by this run. */
  readonly created: string[] = [];

  constructor(
    private readonly db: pg.Pool,
    private readonly caller: Caller,
  ) {}

  /** The row id of the body with this slug; `newBody` describes it when it may not exist yet. */
  async idOf(slug: string, newBody?: Omit<AuthorityInput, 'slug'>): Promise<number | undefined> {
    const known = this.ids.get(slug);
    if (known !== undefined) return known;
    const { rows } = await this.db.query<{ id: number }>('SELECT id FROM authorities WHERE slug = $1', [
      slug,
    ]);
    let id = rows[0]?.id;
    if (id === undefined && newBody) {
      id = await createAuthority(this.db, { caller: this.caller, authority: { slug, ...newBody } });
      this.created.push(slug);
    }
    if (id !== undefined) this.ids.set(slug, id);
    return id;
  }
}
