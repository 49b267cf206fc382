// Every route is described in OpenAPI, says who may call it, and documents its error answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuggestedOrderFields, TextSuggestions } from '../ingest/suggestions/suggestionSchema.ts';
import { createTestApp } from './support/testApp.ts';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  type?: string;
  enum?: unknown[];
  description?: string;
};

/** The schema of the first property called `name` anywhere under `schema`. */
function findProperty(schema: unknown, name: string): JsonSchema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const properties = (schema as JsonSchema).properties;
  if (properties?.[name]) return properties[name];
  for (const value of Object.values(schema)) {
    const found = findProperty(value, name);
    if (found) return found;
  }
  return undefined;
}

/** Every field path under a schema, with whether it says what it holds (a type or an enum). */
function fieldPaths(schema: JsonSchema, prefix = ''): string[] {
  const branches = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])];
  if (branches.length) return [...new Set(branches.flatMap((branch) => fieldPaths(branch, prefix)))];
  if (schema.items) return fieldPaths(schema.items, `${prefix}[]`);
  if (schema.properties) {
    return Object.entries(schema.properties).flatMap(([key, value]) => fieldPaths(value, `${prefix}.${key}`));
  }
  return [`${prefix}:${schema.type ?? (schema.enum ? 'enum' : 'UNDESCRIBED')}`];
}

describe('the OpenAPI description', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  it('covers every route with its access rule and error responses', async () => {
    const spec = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = Object.entries(
      spec.paths as Record<string, Record<string, { description?: string; responses: object }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.description, where).toMatch(/anyone|token|editor/i);
      const codes = Object.keys(operation.responses);
      expect(
        codes.some((code) => code.startsWith('2')),
        where,
      ).toBe(true);
      if (path.startsWith('/api/'))
        expect(
          codes.some((code) => code.startsWith('4')),
          where,
        ).toBe(true);
      if (/token|editor/i.test(operation.description ?? '') && method !== 'get') {
        expect(codes, where).toContain('401');
      }
    }
  });

  it('describes every suggestion field, where documents and intake answer with them', async () => {
    const spec = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    // null until the text has been read
    const expected = fieldPaths({ anyOf: [TextSuggestions as JsonSchema, { type: 'null' }] }).sort();
    expect(expected.length).toBeGreaterThanOrEqual(60);
    expect(expected.filter((path) => path.endsWith('UNDESCRIBED'))).toEqual([]);
    for (const [path, method, status] of [
      ['/api/documents/{id}', 'get', '200'],
      ['/api/intake', 'post', '201'],
    ] as const) {
      const suggestions = findProperty(spec.paths[path][method].responses[status], 'suggestions');
      expect(suggestions, `${method} ${path}`).toBeDefined();
      expect(fieldPaths(suggestions!).sort(), `${method} ${path}`).toEqual(expected);
      const orderFields = findProperty(suggestions, 'order_fields')!;
      expect(Object.keys(orderFields.properties ?? {}).sort()).toEqual(
        Object.keys(SuggestedOrderFields.properties).sort(),
      );
      expect(orderFields.description).toMatch(/ready to send/);
    }
  });
});
