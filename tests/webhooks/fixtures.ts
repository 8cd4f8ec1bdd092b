/** Payloads and a raw HTTP poster shared by the webhook tests. Everything talks to 127.0.0.1 only. */
import { request } from 'undici';
import type { PushPayload } from '../../src/webhooks/index.js';

export const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

/** Docker Hub's documented example delivery, verbatim but for the long dockerfile text. */
export const hubExample = {
  callback_url:
    'https://registry.hub.docker.com/u/svendowideit/testhook/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
  push_data: { pushed_at: 1417566161, pusher: 'trustedbuilder', tag: 'latest' },
  repository: {
    comment_count: 0,
    date_created: 1417494799,
    description: '',
    dockerfile: '#\n# BUILD\t\tdocker build -t svendowideit/apt-cacher .\nFROM\t\tubuntu\n',
    full_description: 'Docker Hub based automated build from a GitHub repo',
    is_official: false,
    is_private: true,
    is_trusted: true,
    name: 'testhook',
    namespace: 'svendowideit',
    owner: 'svendowideit',
    repo_name: 'svendowideit/testhook',
    repo_url: 'https://registry.hub.docker.com/u/svendowideit/testhook/',
    star_count: 0,
    status: 'Active',
  },
};

export function pushOf(tag: string, pushedAt = 1_700_000_000): PushPayload {
  return {
    push_data: { pushed_at: pushedAt, pusher: 'ci-bot', tag },
    repository: { repo_name: 'acme/app', name: 'app', namespace: 'acme', is_private: true },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { ok?: boolean; error?: string };
}

/** POSTs raw bytes (or any method) and returns status, headers and the JSON answer. */
export async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  method: 'POST' | 'GET' | 'PUT' = 'POST',
): Promise<Answer> {
  const res = await request(url, {
    method,
    body: method === 'GET' ? undefined : body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : {} };
}
