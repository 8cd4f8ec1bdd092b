/**
 * A typed GraphQL document: the operation text plus, as phantom types, its variables and its result.
 * Every document the SDK sends lives in `documents/` and is listed in `documents/index.ts`; the
 * `check:graphql` script and a test validate each one against Docker Scout's schema.
 */
export interface ScoutDocument<TVariables, TResult> {
  /** The operation name (the name after the `query` keyword). */
  readonly operationName: string;
  /** The document text sent as `query`. */
  readonly source: string;
  /** Never set: carries the types so `ScoutClient.query` can infer them. */
  readonly __types?: { variables: TVariables; result: TResult };
}

export type VariablesOf<D> = D extends ScoutDocument<infer V, unknown> ? V : never;
export type ResultOf<D> = D extends ScoutDocument<unknown, infer R> ? R : never;

/** Declares a document; the operation name is read from the text so the two cannot disagree. */
export function scoutDocument<TVariables, TResult>(source: string): ScoutDocument<TVariables, TResult> {
  const name = /^\s*(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(source)?.[1];
  if (!name) throw new Error('a Scout document must start with a named query or mutation');
  return { operationName: name, source: source.trim() };
}

/** Docker Scout's `Context` input: which organization's data to read (omit for public data only). */
export interface ScoutContext {
  organization?: string;
}

/** Counts by severity, as Scout reports them (`VulnerabilityReport`, `IbVulnerabilityReport`). */
export interface VulnerabilityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unspecified: number;
  total: number;
}

export type SbomState = 'INDEXED' | 'INDEXING' | 'INDEXING_FAILED' | 'INDEXING_UNAVAILABLE' | 'NONE';
export type CvssSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNSPECIFIED';
