/**
 * Defects of Docker's published Hub spec that would make the emulator refuse requests the real API takes,
 * corrected in memory before validation (the spec file stays as published). Each is listed, with how the
 * SDK copes with it, in docs/hub-api.md.
 */

interface Schema {
  type?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
}
interface Doc {
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, { schema?: Schema }> };
}

export function repairSpecDefects(document: unknown): void {
  const components = (document as Doc).components;
  // The org members `search` filter is free text (username, name, email) but typed as an integer.
  const search = components?.parameters?.search;
  if (search?.schema?.type === 'integer') search.schema = { type: 'string' };
  // The immutable-tags verify `regex` carries a repository-name pattern with doubled escapes, which refuses
  // every regular expression, the spec's own example `v.*` included. Rules are RE2 regular expressions.
  const regex = components?.schemas?.immutable_tags_verify_request?.properties?.regex;
  if (regex) delete regex.pattern;
}
