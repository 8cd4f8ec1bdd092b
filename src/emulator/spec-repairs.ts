/**
 * Repairs, in memory, defects of Docker's published Hub spec that would make the emulator refuse requests
 * the real API takes. Each is listed in docs/hub-api.md; the spec file itself stays as published.
 */

type Doc = {
  components?: { schemas?: Record<string, { properties?: Record<string, { pattern?: string }> }> };
};

export function repairKnownDefects(document: unknown): void {
  const schemas = (document as Doc).components?.schemas;
  // The immutable-tags verify `regex` carries a repository-name pattern with doubled escapes, which refuses
  // every regular expression, the spec's own example `v.*` included. Rules are RE2 regular expressions.
  const regex = schemas?.immutable_tags_verify_request?.properties?.regex;
  if (regex) delete regex.pattern;
}
