import { defineConfig } from 'vitest/config';

/** `npm run screenshot:chat`: docs/images/web-chat.png from tests/agent/web.screenshot.ts. */
export default defineConfig({
  test: {
    include: ['tests/agent/web.screenshot.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
