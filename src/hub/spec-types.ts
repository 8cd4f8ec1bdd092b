/**
 * The bridge from the generated spec types (`generated/hub-api.ts`, `npm run generate:hub-types`) to the
 * SDK's public types. Responses are made lenient: the spec's response schemas lag the live API, which
 * sends fields the spec lacks and leaves out some it requires, so every field is optional except the few
 * the SDK relies on, and any extra field is allowed.
 */
import type { components, paths } from './generated/hub-api.js';

/** `components.schemas` of Docker's Hub spec. */
export type HubSchemas = components['schemas'];
/** `components.parameters` of Docker's Hub spec (shared query and path parameters). */
export type HubParameters = components['parameters'];
/** `components.responses` of Docker's Hub spec. */
export type HubResponses = components['responses'];

/** A spec schema's fields, all optional except `K` (the ones the SDK relies on). */
export type SpecFields<T, K extends keyof T = never> = Partial<T> & Required<Pick<T, K>>;

/**
 * A spec response schema made lenient: fields optional except `K`, and any extra field allowed. Apply it
 * last: `Omit` over a type with an index signature drops every named field.
 */
export type Lenient<T, K extends keyof T = never> = SpecFields<T, K> & { [key: string]: unknown };

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The query parameters of a documented operation. */
export type SpecQuery<P extends keyof paths, M extends Method> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

/** The JSON (or SCIM JSON) request body of a documented operation. */
export type SpecRequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: infer C };
}
  ? C extends { 'application/json': infer B }
    ? B
    : C extends { 'application/scim+json': infer B }
      ? B
      : never
  : never;
