// A pg client that sends each parameterised query as a named prepared statement, so PostgreSQL parses
// and plans the archive's few dozen hot queries once per connection instead of on every call.
import pg from 'pg';

/** Distinct query texts named at most (a bound on each connection's prepared statements); others go unnamed. */
const MAX_PREPARED_STATEMENTS = 500;

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `q${names.size}`;
    names.set(text, name);
  }
  return name;
}

export class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config, values] = args as [unknown, unknown];
    const parameterised = typeof config === 'string' && Array.isArray(values) && values.length > 0;
    if (parameterised && (names.has(config) || names.size < MAX_PREPARED_STATEMENTS)) {
      args.splice(0, 2, { name: statementName(config), text: config, values });
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
