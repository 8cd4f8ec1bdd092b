/**
 * docs/images/web-chat.png (`npm run screenshot:chat`): the chat against the agent with the fake model
 * and the emulator, as the browser test runs it — a question answered through a tool call, then a
 * delete waiting for approval.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { chatScript, launchBrowser, WEB_DIR } from './browser.js';
import { AGENT_TOKEN, emulatorFor, startTestAgent } from './harness.js';

const emu = emulatorFor();
const OUT = process.env.SCREENSHOT_PATH ?? join(WEB_DIR, '..', 'docs', 'images', 'web-chat.png');

it('takes the screenshot of the chat', async () => {
  const t = await startTestAgent(emu(), {
    allowDestructive: true,
    authToken: AGENT_TOKEN,
    staticDir: WEB_DIR,
    approvalTimeoutMs: 600_000,
    script: chatScript({ delayMs: 0 }),
  });
  const b = await launchBrowser({
    width: Number(process.env.SCREENSHOT_WIDTH ?? 1280),
    height: 960,
    scale: 2,
    dark: process.env.SCREENSHOT_DARK === '1',
  });
  try {
    const { page } = b;
    await page.goto(`${t.url}/#token=${AGENT_TOKEN}`);
    await expect.poll(() => page.locator('#conn').textContent()).toBe('Connected');
    const send = async (text: string) => {
      await page.locator('#input').fill(text);
      await page.locator('#input').press('Enter');
    };
    // Two earlier conversations for the sidebar.
    for (const text of ['Which tags does acme/web have?', "Who are acme's members?"]) {
      await send(text);
      await page.locator('.turn.agent[data-state="completed"]').last().waitFor();
      await page.locator('#new-thread:visible, #new-thread-head:visible').first().click();
    }
    await send("What are acme's repositories?");
    await page.locator('.turn.agent[data-state="completed"]').last().waitFor();
    await send('Delete acme/legacy-batch');
    await page.locator('.approval-card[data-status="pending"]').waitFor();
    await page.mouse.move(0, 0);
    await page.evaluate(`(() => {
      document.activeElement?.blur();
      const log = document.getElementById('log');
      log.scrollTop = log.scrollHeight;
    })()`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: OUT });
  } finally {
    await b.close();
    await t.close();
  }
});
