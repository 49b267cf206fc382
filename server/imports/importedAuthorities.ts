// Finds the body an imported order names by slug, creating it (once per run, reported) when the
// archive does not know it yet: a catalogued body from the catalogue, any other from the importer's facts.
import type pg from 'pg';
import { findAuthorityBySlug } from '../../domain/authorityCatalog.ts';
import type { Caller } from '../auth/caller.ts';
import { createAuthority } from '../commands/referenceCreator.ts';
import { seedAuthorities } from '../database/seedAuthorities.ts';
import type { AuthorityInput } from '../schemas/references.ts';

export class ImportedAuthorities {
  private readonly ids = new Map<string, number>();
  private seeded = false;
  /** Slugs created by this run. */
  readonly created: string[] = [];

  constructor(
    private readonly db: pg.Pool,
    private readonly caller: Caller,
  ) {}

  /** The row id of the body with this slug; `newBody` describes it when it may not exist yet. */
  async idOf(slug: string, newBody?: Omit<AuthorityInput, 'slug'>): Promise<number> {
    const known = this.ids.get(slug);
    if (known !== undefined) return known;
    let id = await this.lookUp(slug);
    // The archive seeds the catalogue when it starts; an import into a database it never started on
    // (a fresh DATA_DIR) seeds it here.
    if (id === undefined && !this.seeded && findAuthorityBySlug(slug)) {
      await seedAuthorities(this.db);
      this.seeded = true;
      id = await this.lookUp(slug);
    }
    if (id === undefined && newBody) {
      id = await createAuthority(this.db, { caller: this.caller, authority: { slug, ...newBody } });
      this.created.push(slug);
    }
    if (id === undefined) throw new Error(`there is no authority '${slug}'`);
    this.ids.set(slug, id);
    return id;
  }

  private async lookUp(slug: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ id: number }>('SELECT id FROM authorities WHERE slug = $1', [
      slug,
    ]);
    return rows[0]?.id;
  }
}
