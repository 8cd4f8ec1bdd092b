/**
 * The web chat in a real headless Chromium, against the real agent (fake model over HTTP, the emulator as
 * Docker Hub, a token required): the token asked for and refused when wrong, taken from the URL fragment
 * and removed from the address bar, kept across a reload; an answer streamed as it comes with its tool
 * call as a card and its Markdown rendered safely; a destructive call approved (the emulator no longer
 * has the repository) and another denied (it still has it); the model's error and an unreachable agent
 * in words; conversations kept for the tab; an open approval kept across a reload; Stop cancelling the
 * task; a narrow window; and, throughout, nothing fetched but the agent's own files, no CSP violation, and
 * the Docker Hub password nowhere in the page, its storage or its console. One browser for the file, one
 * page reused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../src/agent/server.js';
import { type Browser, chatScript, launchBrowser, WEB_DIR } from './browser.js';
import {
  AGENT_TOKEN,
  emulatorFor,
  expectNoSentinel,
  type RunningTestAgent,
  SENTINEL,
  startTestAgent,
} from './harness.js';

const emu = emulatorFor();
let t: RunningTestAgent;
let b: Browser;

const STEP = 90_000;

beforeAll(async () => {
  t = await startTestAgent(emu(), {
    allowDestructive: true,
    authToken: AGENT_TOKEN,
    staticDir: WEB_DIR,
    approvalTimeoutMs: 120_000,
    script: chatScript({ hostile: true }),
  });
  b = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await t?.close();
});

const page = () => b.page;
const lastAgentTurn = () => page().locator('.turn.agent').last();

async function send(text: string): Promise<void> {
  await page().locator('#input').fill(text);
  await page().locator('#input').press('Enter');
}

async function connected(): Promise<void> {
  await expect.poll(() => page().locator('#conn').textContent(), { timeout: 30_000 }).toBe('Connected');
}

describe('the web chat in Chromium', () => {
  it(
    'is served with a strict CSP, asks for the token, and refuses a wrong one',
    async () => {
      const res = await page().goto(`${t.url}/`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toBe(PAGE_CSP);
      const dialog = page().locator('#token-dialog');
      await dialog.waitFor({ state: 'visible' });
      await expect.poll(() => page().locator('#conn').textContent()).toBe('Token needed');
      // The field is focused: type a wrong token and press Enter.
      await page().keyboard.type('not-the-right-token-000');
      await page().keyboard.press('Enter');
      await expect.poll(() => page().locator('#token-error').textContent()).toMatch(/That token was refused/);
      expect(await page().evaluate("sessionStorage.getItem('dockerhub-agent:token')")).toBeNull();
    },
    STEP,
  );

  it(
    'takes the token from the URL fragment, removes it from the address bar, and keeps it across a reload',
    async () => {
      await page().goto('about:blank');
      await page().goto(`${t.url}/#token=${AGENT_TOKEN}`);
      await connected();
      expect(page().url()).toBe(`${t.url}/`);
      expect(await page().evaluate('location.hash')).toBe('');
      expect(await page().locator('#token-dialog').isVisible()).toBe(false);
      await page().reload();
      await connected();
      expect(await page().locator('#token-dialog').isVisible()).toBe(false);
      // The welcome offers examples from the agent card's skills.
      expect(await page().locator('.suggestion').count()).toBeGreaterThan(2);
    },
    STEP,
  );

  it(
    'streams the answer as it comes, shows the tool call as a card, and renders Markdown without running any of it',
    async () => {
      // Record every state of the answer as the page shows it.
      await page().evaluate(`(() => {
        window.__answers = [];
        new MutationObserver(() => {
          const answers = document.querySelectorAll('.turn.agent .answer');
          const text = answers[answers.length - 1]?.textContent ?? '';
          if (text && window.__answers[window.__answers.length - 1] !== text) window.__answers.push(text);
        }).observe(document.getElementById('turns'), { subtree: true, childList: true, characterData: true });
      })()`);
      const input = page().locator('#input');
      await input.click();
      await page().keyboard.type("What are acme's repositories?");
      // Shift+Enter is a new line, not a send.
      await page().keyboard.press('Shift+Enter');
      await page().keyboard.type('The first three will do.');
      expect(await input.inputValue()).toBe("What are acme's repositories?\nThe first three will do.");
      expect(await page().locator('.turn.user').count()).toBe(0);
      await page().keyboard.press('Enter');
      expect(await input.inputValue()).toBe('');
      const turn = lastAgentTurn();
      await turn.and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(await page().locator('.turn.user .bubble').textContent()).toBe(
        "What are acme's repositories?\nThe first three will do.",
      );

      const answers = await page().evaluate<string[]>('window.__answers');
      const final = (await turn.locator('.answer').last().textContent()) ?? '';
      expect(final).toContain('acme has 6 repositories; the first three:');
      // Shown piece by piece as it came: several partial answers before the whole, the first a start of it.
      expect(answers.length).toBeGreaterThan(3);
      expect(answers.at(-1)).toBe(final);
      expect(answers[0]!.length).toBeLessThan(final.length / 2);
      expect(final.startsWith(answers[0]!)).toBe(true);

      // The tool card: tool, action, parameters, result summary; collapsed until opened.
      const card = turn.locator('.tool-card');
      expect(await card.count()).toBe(1);
      expect(await card.getAttribute('data-status')).toBe('ok');
      expect(await card.locator('.tool-name').textContent()).toBe('Repositories');
      expect(await card.locator('.tool-action').textContent()).toBe('list');
      expect(await card.locator('.tool-status').textContent()).toMatch(/^Done · \d+/);
      expect(await card.locator('.tool-body').isVisible()).toBe(false);
      await card.locator('> summary').click();
      expect(await card.locator('.tool-body').isVisible()).toBe(true);
      expect(await card.locator('.kv').textContent()).toBe('toolhub_reposactionlistnamespaceacmepage_size3');
      expect(await card.locator('.tool-summary').textContent()).toBe('Result 3 items of 6, more available');
      await card.locator('.tool-result > summary').click();
      expect(await card.locator('.tool-result pre').textContent()).toContain('"namespace": "acme"');
      // Keyboard: the card's summary is focusable and toggles with Enter.
      await card.locator('> summary').focus();
      await page().keyboard.press('Enter');
      expect(await card.locator('.tool-body').isVisible()).toBe(false);

      // Markdown as DOM: bold, list, code, a safe link; the hostile parts stay text.
      const answer = turn.locator('.answer').last();
      expect(await answer.locator('strong').first().textContent()).toBe('6 repositories');
      expect(await answer.locator('ul > li').count()).toBe(3);
      expect(await answer.locator('li code').first().textContent()).toBe('acme/web');
      const links = await answer.locator('a').evaluateAll((as) =>
        as.map((a) => ({
          href: a.getAttribute('href'),
          rel: a.getAttribute('rel'),
          target: a.getAttribute('target'),
        })),
      );
      expect(links).toEqual([
        { href: 'https://hub.docker.com/u/acme', rel: 'noopener noreferrer', target: '_blank' },
      ]);
      expect(final).toContain('[click me](javascript:alert(1))');
      expect(final).toContain('<img src=x onerror=alert(1)> <script>alert(2)</script>');
      expect(
        await page().locator('.turns img:not(.avatar img), .turns script, .turns [onerror]').count(),
      ).toBe(0);
      // The thread is named after the question, in the sidebar and the header.
      expect(await page().locator('#thread-title').textContent()).toBe(
        "What are acme's repositories? The first three will do.",
      );
      expect(await page().locator('.thread').count()).toBe(1);
    },
    STEP,
  );

  it(
    'shows an approval card naming exactly what will change, and runs the delete only once approved',
    async () => {
      expect(emu().state.repositories.has('acme/old-a')).toBe(true);
      await send('Delete acme/old-a');
      const turn = lastAgentTurn();
      const approval = turn.locator('.approval-card');
      await approval.and(page().locator('[data-status="pending"]')).waitFor({ timeout: 60_000 });
      expect(await approval.locator('.question').textContent()).toBe(
        'Delete the repository acme/old-a, with every tag and image in it? (hub_repos.delete)',
      );
      expect(await approval.locator('.kv').textContent()).toBe(
        'toolhub_reposactiondeletenamespaceacmerepositoryold-a',
      );
      expect(await approval.locator('.expires').textContent()).toMatch(/^expires in \d+:\d\d$/);
      // The card takes the focus, the tool card says it waits, the sidebar flags the conversation.
      expect(await page().evaluate("document.activeElement?.classList.contains('approval-card')")).toBe(true);
      expect(await turn.locator('.tool-card .tool-status').textContent()).toBe('Waiting for your approval');
      expect(await page().locator('.thread.active .badge').textContent()).toBe('Needs approval');
      expect(await turn.locator('.answer').first().textContent()).toBe(
        "I'll delete acme/old-a — that needs your approval.",
      );
      // Nothing ran yet.
      expect(emu().state.repositories.has('acme/old-a')).toBe(true);

      await approval.getByRole('button', { name: 'Approve delete' }).click();
      await turn.and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(await approval.getAttribute('data-status')).toBe('approved');
      expect(await approval.locator('.approval-outcome').textContent()).toBe('Approved — done: ok: deleted');
      expect(await approval.getByRole('button').count()).toBe(0);
      expect(await turn.locator('.tool-card').getAttribute('data-status')).toBe('ok');
      expect(await turn.locator('.answer').last().textContent()).toBe(
        'Done: acme/old-a is deleted, with its tags.',
      );
      expect(emu().state.repositories.has('acme/old-a')).toBe(false);
    },
    STEP,
  );

  it(
    'runs nothing when the person denies (with the keyboard)',
    async () => {
      await send('Delete acme/old-b');
      const turn = lastAgentTurn();
      const approval = turn.locator('.approval-card');
      await approval.and(page().locator('[data-status="pending"]')).waitFor({ timeout: 60_000 });
      expect(await approval.locator('.question').textContent()).toContain('acme/old-b');
      // From the focused card, Tab reaches Deny first (never Approve by accident).
      await page().keyboard.press('Tab');
      expect(await page().evaluate('document.activeElement?.textContent')).toBe('Deny');
      await page().keyboard.press('Enter');
      await turn.and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(await approval.getAttribute('data-status')).toBe('denied');
      expect(await approval.locator('.approval-outcome').textContent()).toBe('Denied — nothing was changed.');
      expect(await turn.locator('.tool-card').getAttribute('data-status')).toBe('not_run');
      expect(await turn.locator('.tool-card .tool-status').textContent()).toMatch(/^Not run/);
      expect(await turn.locator('.answer').last().textContent()).toMatch(
        /^I did not delete acme\/old-b: not run/,
      );
      expect(emu().state.repositories.has('acme/old-b')).toBe(true);
    },
    STEP,
  );

  it(
    'says in words when the model fails (HTTP 429, with when to retry)',
    async () => {
      await send('Hit the rate limit please');
      const turn = lastAgentTurn();
      await turn.and(page().locator('[data-state="failed"]')).waitFor({ timeout: 60_000 });
      const error = turn.locator('.error-card');
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await error.locator('.error-title').textContent()).toBe('The model is rate-limiting requests');
      expect(await error.locator('.error-message').textContent()).toBe(
        'The model is rate-limiting requests (HTTP 429: Rate limit reached for requests). Try again in 7 s.',
      );
      expect(await turn.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    },
    STEP,
  );

  it(
    'keeps conversations for the tab: a new one is a new A2A context; the old ones come back, also after a reload',
    async () => {
      await page().locator('#new-thread').click();
      expect(await page().locator('#welcome').isVisible()).toBe(true);
      expect(await page().locator('.turn').count()).toBe(0);
      await send('Hello there');
      await lastAgentTurn().and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(await lastAgentTurn().locator('.answer').textContent()).toBe('You said: Hello there');
      // The model saw only this conversation: one user message.
      const last = t.fake.requests.at(-1)!;
      expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(1);
      expect(await page().locator('.thread').count()).toBe(2);
      const storedThreads = () =>
        page().evaluate(() => JSON.parse(sessionStorage.getItem('dockerhub-agent:threads') ?? '[]'));
      await expect.poll(async () => (await storedThreads()).length).toBe(2);
      const stored = await storedThreads();
      expect(stored[0].contextId).toBeTruthy();
      expect(stored[1].contextId).toBeTruthy();
      expect(stored[0].contextId).not.toBe(stored[1].contextId);

      // Back to the first conversation: everything is there.
      await page().locator('.thread-open', { hasText: "What are acme's repositories?" }).click();
      expect(await page().locator('.turn.user').count()).toBe(4);
      expect(await page().locator('.approval-card').count()).toBe(2);

      await page().reload();
      await connected();
      expect(await page().locator('.thread').count()).toBe(2);
      expect(await page().locator('#thread-title').textContent()).toBe(
        "What are acme's repositories? The first three will do.",
      );
      expect(await page().locator('.approval-card[data-status="approved"]').count()).toBe(1);
      expect(await page().locator('.approval-card[data-status="denied"]').count()).toBe(1);
      // And it goes on working after the reload, in the same conversation (the model sees its history).
      await send('Thanks');
      await lastAgentTurn().and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(t.fake.requests.at(-1)!.messages.filter((m) => m.role === 'user').length).toBeGreaterThan(3);
    },
    STEP,
  );

  it(
    'keeps an open approval across a reload: the card comes back from the agent and can still be answered',
    async () => {
      await send('Delete acme/old-c');
      const pending = page().locator('.approval-card[data-status="pending"]');
      await pending.waitFor({ timeout: 60_000 });
      await page().reload();
      await connected();
      // Read back from the agent (GetTask): still open, still answerable.
      await pending.waitFor({ timeout: 30_000 });
      expect(await pending.locator('.question').textContent()).toContain('acme/old-c');
      expect(emu().state.repositories.has('acme/old-c')).toBe(true);
      await pending.getByRole('button', { name: 'Approve delete' }).click();
      const turn = lastAgentTurn();
      await turn.and(page().locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
      expect(await turn.locator('.approval-card').getAttribute('data-status')).toBe('approved');
      expect(emu().state.repositories.has('acme/old-c')).toBe(false);
    },
    STEP,
  );

  it(
    'stops a request that takes too long: Stop cancels the task',
    async () => {
      await send('Take your time with this one');
      const turn = lastAgentTurn();
      await turn.and(page().locator('[data-state="working"]')).waitFor({ timeout: 30_000 });
      expect(await page().locator('#send').isVisible()).toBe(false);
      await page().getByRole('button', { name: 'Stop' }).click();
      await turn.and(page().locator('[data-state="canceled"]')).waitFor({ timeout: 30_000 });
      expect(await turn.locator('.notice').textContent()).toBe(
        'Cancelled. Anything still running was stopped.',
      );
      expect(await page().locator('#send').isVisible()).toBe(true);
      // The conversation as the tab keeps it (written shortly after each change) names the task.
      const lastTurn = () =>
        page().evaluate<{ state: string; taskId: string }>(`(() => {
          const active = sessionStorage.getItem('dockerhub-agent:active');
          const thread = JSON.parse(sessionStorage.getItem('dockerhub-agent:threads')).find((x) => x.id === active);
          return thread.turns.at(-1);
        })()`);
      await expect.poll(async () => (await lastTurn()).state).toBe('canceled');
      const { taskId } = await lastTurn();
      expect((await t.rpc('GetTask', { id: taskId })).body.result.status.state).toBe('TASK_STATE_CANCELED');
    },
    STEP,
  );

  it(
    'works in a narrow window: the conversations open as a drawer',
    async () => {
      await page().setViewportSize({ width: 390, height: 760 });
      expect(await page().locator('#menu').isVisible()).toBe(true);
      const sidebar = page().locator('#sidebar');
      // Closed, the drawer is out of sight and out of the focus order.
      await expect.poll(() => sidebar.isVisible()).toBe(false);
      expect(await page().locator('#new-thread-head').isVisible()).toBe(true);
      await page().locator('#menu').click();
      await expect.poll(async () => (await sidebar.boundingBox())?.x).toBe(0);
      expect(await page().locator('#menu').getAttribute('aria-expanded')).toBe('true');
      expect(await page().evaluate('document.activeElement?.id')).toBe('new-thread');
      await page().keyboard.press('Escape');
      await expect.poll(() => sidebar.isVisible()).toBe(false);
      // Nothing is wider than the window.
      expect(await page().evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page().setViewportSize({ width: 1280, height: 860 });
    },
    STEP,
  );

  it(
    'says in words when the agent cannot be reached',
    async () => {
      await t.agent.server.close();
      await send('Are you there?');
      const turn = lastAgentTurn();
      await turn.and(page().locator('[data-state="failed"]')).waitFor({ timeout: 60_000 });
      expect(await turn.locator('.error-title').textContent()).toBe("Can't reach the agent");
      expect(await turn.locator('.error-message').textContent()).toBe(
        `Can't reach the agent at ${t.url}. Check that dockerhub-agent is running, then try again.`,
      );
      await expect.poll(() => page().locator('#conn').textContent()).toBe('Agent unreachable');
    },
    STEP,
  );

  it(
    'kept the secrets out: no CSP violation, no Docker Hub password or agent token in the DOM, storage or console',
    async () => {
      expect(await b.violations()).toEqual([]);
      // Nothing but the agent's own files and API was fetched (no CDN, no fonts, nothing else).
      expect(b.requests.filter((u) => !u.startsWith(`${t.url}/`) && u !== 'about:blank')).toEqual([]);
      expect(b.requests).toContain(`${t.url}/js/main.js`);
      expect(
        b.console.filter((l) => /Content Security Policy|Refused to|TrustedHTML|pageerror/i.test(l)),
      ).toEqual([]);
      const dom = await page().content();
      const storage = await page().evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
      for (const where of [dom, storage, b.console.join('\n')]) expect(where).not.toContain(SENTINEL);
      expect(dom).not.toContain(AGENT_TOKEN);
      expect(b.console.join('\n')).not.toContain(AGENT_TOKEN);
      expectNoSentinel(t);
      // The CSP holds: the page cannot even assign HTML as a string (Trusted Types, no policy).
      const refused = await page().evaluate(`(() => {
        try {
          document.body.insertAdjacentHTML('beforeend', '<b>x</b>');
          return 'assigned';
        } catch (e) {
          return e.name;
        }
      })()`);
      expect(refused).toBe('TypeError');
      // …and the violation watch above did see that one.
      expect(await b.violations()).toEqual([expect.stringMatching(/^require-trusted-types-for/)]);
    },
    STEP,
  );
});
