/** The README's SDK example, kept here so that `npm run typecheck` proves it compiles (never run). */
import { copyImage, HubClient, pullImage, RegistryClient, ScoutClient } from '../src/index.js';

export async function example() {
  // Docker Hub: credentials from DOCKER_HUB_USER/DOCKER_HUB_TOKEN or your Docker login.
  const hub = new HubClient();
  for await (const repo of hub.repositories.list({ namespace: 'myorg' })) console.log(repo.name);
  const { token } = await hub.accessTokens.create({ token_label: 'ci', scopes: ['repo:read'] });
  console.log(token.reveal()); // shown this once; `${token}` prints [REDACTED]
  for await (const member of hub.orgs.members.list('myorg', { role: 'owner' })) console.log(member.username);
  await hub.repositories.delete('myorg', 'old'); // DestructiveOperationBlockedError unless allowDestructive

  // Transfers: streamed, verified, resumable.
  const registry = new RegistryClient();
  await pullImage(registry, 'nginx:1.27', './nginx-layout', { platform: 'linux/amd64' });
  await copyImage(registry, 'nginx:1.27', 'registry.lan:5000/mirror/nginx:1.27', { concurrency: 8 });

  // Docker Scout, with the same login.
  const scout = new ScoutClient(hub);
  const summary = await scout.summary('myorg/app:1.0');
  console.log(summary.vulnerabilities?.critical, summary.baseImage?.tag);
}
