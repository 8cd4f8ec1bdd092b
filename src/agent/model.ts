/**
 * The language model from configuration: an OpenAI-compatible endpoint (Ollama, vLLM, LM Studio,
 * llama.cpp server), OpenAI or Anthropic, each through its AI SDK provider. Every model request goes
 * through `timedFetch`, so a server that accepts the connection and then says nothing is an error after
 * the configured time, never a hang. `checkModel` is the start-up check that the server answers and
 * serves the model.
 */
import type { LanguageModel } from 'ai';
import { DockerHubError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import type { ModelConfig } from './config.js';

/** The model said nothing for too long (first byte, or between two chunks). */
export class ModelTimeoutError extends Error {
  override name = 'ModelTimeoutError';
}

type Fetch = typeof globalThis.fetch;

/**
 * A fetch that fails when the response's headers take longer than `timeoutMs`, or when its body stays
 * silent for `timeoutMs` between two chunks. The caller's signal still cancels at once.
 */
export function timedFetch(timeoutMs: number, base: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const outer = init?.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    const seconds = Math.round(timeoutMs / 1000);
    let timer = setTimeout(
      () => controller.abort(new ModelTimeoutError(`the model did not answer within ${seconds} s`)),
      timeoutMs,
    );
    const done = () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    };
    let res: Response;
    try {
      res = await base(input, { ...init, signal: controller.signal });
    } catch (err) {
      done();
      throw controller.signal.reason instanceof ModelTimeoutError ? controller.signal.reason : err;
    }
    clearTimeout(timer);
    if (!res.body) {
      done();
      return res;
    }
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        timer = setTimeout(
          () => controller.abort(new ModelTimeoutError(`the model stopped sending for ${seconds} s`)),
          timeoutMs,
        );
        try {
          const { done: end, value } = await reader.read();
          clearTimeout(timer);
          if (end) {
            done();
            stream.close();
          } else stream.enqueue(value);
        } catch (err) {
          done();
          stream.error(
            controller.signal.reason instanceof ModelTimeoutError ? controller.signal.reason : err,
          );
        }
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** The AI SDK model for the configuration (providers are loaded on demand). */
export async function createLanguageModel(config: ModelConfig, base?: Fetch): Promise<LanguageModel> {
  const fetch = timedFetch(config.timeoutMs, base);
  const apiKey = config.apiKey?.reveal();
  switch (config.provider) {
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: 'llm',
        baseURL: config.baseUrl,
        apiKey,
        includeUsage: true,
        fetch,
      }).chatModel(config.model);
    }
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ baseURL: config.baseUrl, apiKey, fetch })(config.model);
    }
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ baseURL: config.baseUrl, apiKey, fetch })(config.model);
    }
  }
}

/** The most telling part of a network error: its code (ECONNREFUSED…), else its deepest message. */
export function causeCode(err: unknown): string {
  let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
  let message = err instanceof Error ? err.message : String(err);
  for (let i = 0; e && i < 6; i++) {
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
    if (typeof e.message === 'string' && e.message) message = e.message;
    e = e.cause as typeof e;
  }
  return message;
}

/**
 * Start-up check: the model server answers, accepts the key and serves the model. A server without a
 * model list (404) is taken at its word. The error is one line, saying what to fix.
 */
export async function checkModel(config: ModelConfig, base: Fetch = globalThis.fetch): Promise<void> {
  const headers: Record<string, string> = {};
  const key = config.apiKey?.reveal();
  let url = `${config.baseUrl}/models`;
  if (config.provider === 'anthropic') {
    url = `${config.baseUrl}/models/${encodeURIComponent(config.model)}`;
    if (key) headers['x-api-key'] = key;
    headers['anthropic-version'] = '2023-06-01';
  } else {
    if (config.provider === 'openai') url = `${config.baseUrl}/models/${encodeURIComponent(config.model)}`;
    if (key) headers.authorization = `Bearer ${key}`;
  }
  const where = `${config.provider} model server at ${config.baseUrl}`;
  let res: Response;
  try {
    res = await base(url, { headers, signal: AbortSignal.timeout(Math.min(config.timeoutMs, 15_000)) });
  } catch (err) {
    throw new DockerHubError(
      `the ${where} cannot be reached (${redactText(causeCode(err))}); check LLM_BASE_URL and that the server runs${
        config.provider === 'openai-compatible' ? ' (for Ollama: ollama serve)' : ''
      }`,
    );
  }
  if (res.status === 401 || res.status === 403)
    throw new DockerHubError(`the ${where} refused the API key (HTTP ${res.status}); check LLM_API_KEY`);
  if (res.status === 404 && config.provider !== 'openai-compatible')
    throw new DockerHubError(`the ${where} has no model "${config.model}" (HTTP 404); check LLM_MODEL`);
  if (res.status === 404) return;
  if (!res.ok)
    throw new DockerHubError(`the ${where} answered HTTP ${res.status} to ${url}; is LLM_BASE_URL right?`);
  if (config.provider !== 'openai-compatible') return;
  const body = (await res.json().catch(() => undefined)) as { data?: Array<{ id?: string }> } | undefined;
  const ids = (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  // Ollama names models with a tag; "llama3.1" means "llama3.1:latest".
  const served = (id: string) => id === config.model || id === `${config.model}:latest`;
  if (ids.length && !ids.some(served))
    throw new DockerHubError(
      `the ${where} does not serve "${config.model}"; it has: ${ids.slice(0, 10).join(', ')}${
        ids.length > 10 ? ', …' : ''
      } (for Ollama: ollama pull ${config.model})`,
    );
}
