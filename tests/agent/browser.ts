/**
 * The web chat in a real browser: Debian's headless Chromium (never a downloaded one) driven by
 * playwright-core, a fresh profile per launch, every console message and CSP violation kept. And the
 * scripted model the chat's tests and its screenshot share: it answers by what the user asked.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type ChatRequest, type Reply, textOf, toolResults } from '../helpers/fake-llm.js';

/** The chat's files, as the package ships them. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every console message, as `type: text`. */
  console: string[];
  /** Every URL the browser requested. */
  requests: string[];
  /** CSP violations the page reported (securitypolicyviolation events). */
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function launchBrowser(
  opts: { width?: number; height?: number; dark?: boolean; scale?: number } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and the web chat's browser test needs it: install Debian's package ` +
        '(`sudo apt-get install chromium`; .ci/run does this) or set CHROMIUM_PATH to a Chromium binary.',
    );
  const profile = mkdtempSync(join(tmpdir(), 'dockerhub-agent-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    deviceScaleFactor: opts.scale ?? 1,
    colorScheme: opts.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
    timeout: 120_000,
  });
  const consoleLines: string[] = [];
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  context.on('weberror', (e) => consoleLines.push(`pageerror: ${e.error().message}`));
  // Runs before the page's own scripts (outside its CSP): collects what the CSP refused. Code that runs in
  // the page is given as text here and below: the test project has Node's types, not the DOM's.
  await context.addInitScript({
    content: `window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push(e.violatedDirective + ': ' + (e.blockedURI || e.sample)));`,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    console: consoleLines,
    requests,
    violations: () => page.evaluate<string[]>('window.__violations ?? []'),
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The text of the last user message of a model request. */
export function lastUserText(req: ChatRequest): string {
  return textOf([...req.messages].reverse().find((m) => m.role === 'user'));
}

/** The answer to "What are acme's repositories?", in Markdown. */
export const REPOS_ANSWER = [
  'acme has **6 repositories**; the first three:',
  '',
  '- `acme/web` — tags *latest* and 1.4.2',
  '- `acme/api`',
  '- `acme/legacy-batch`',
  '',
  'See [Docker Hub](https://hub.docker.com/u/acme) for the rest.',
].join('\n');

/** Model output a page must show as text and never run or load. */
export const HOSTILE =
  '\n\nNot links: [click me](javascript:alert(1)) and <img src=x onerror=alert(1)> <script>alert(2)</script>';

/**
 * The model for the chat: lists repositories, deletes one (asking first), fails with 429 on request, and
 * otherwise answers in a line.
 */
export function chatScript(opts: { delayMs?: number; hostile?: boolean } = {}) {
  return (req: ChatRequest): Reply => {
    const user = lastUserText(req);
    const results = toolResults(req) as Array<{ status?: string; data?: { reason?: string } }>;
    if (/rate limit/i.test(user))
      return { status: 429, error: 'Rate limit reached for requests', headers: { 'retry-after': '7' } };
    if (/server error/i.test(user)) return { status: 500, error: 'upstream exploded' };
    if (/take your time/i.test(user)) return { hang: true };
    const del = /delete acme\/([\w.-]+)/i.exec(user);
    if (del) {
      if (!results.length)
        return {
          text: `I'll delete acme/${del[1]} — that needs your approval.`,
          toolCalls: [
            { name: 'hub_repos', args: { action: 'delete', namespace: 'acme', repository: del[1] } },
          ],
        };
      const r = results[0]!;
      return {
        text:
          r.status === 'ok'
            ? `Done: **acme/${del[1]}** is deleted, with its tags.`
            : `I did not delete acme/${del[1]}: ${r.data?.reason ?? r.status}.`,
      };
    }
    if (/repositories/i.test(user)) {
      if (!results.length)
        return {
          toolCalls: [{ name: 'hub_repos', args: { action: 'list', namespace: 'acme', page_size: 3 } }],
        };
      return { text: REPOS_ANSWER + (opts.hostile ? HOSTILE : ''), chunk: 6, delayMs: opts.delayMs ?? 40 };
    }
    return { text: `You said: ${user.slice(0, 80)}` };
  };
}
