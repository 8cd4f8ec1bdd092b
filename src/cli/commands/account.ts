/**
 * Account commands: `login` / `logout` (one login shared with `docker`: its credential helper or its
 * config.json), `search` (catalog search, undocumented endpoint) and `orgs` (the current user's
 * organizations, undocumented endpoint). Each returns data and a text form; no secret is in either.
 */
import { DOCKER_HUB_SERVER_URL } from '../../core/credentials.js';
import { type DockerLoginStore, eraseDockerHubLogin, storeDockerHubLogin } from '../../core/docker-login.js';
import { AuthenticationError, ValidationError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { HubClient, type SearchResult, type SearchType, type UserOrg } from '../../hub/index.js';
import { table } from '../render.js';
import { integerFlag, listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

/** How the login command reads what the user types or pipes. */
export interface LoginInput {
  /** Everything on stdin (for --password-stdin). */
  readStdin(): Promise<string>;
  /** Asks on the terminal; `hidden` turns echo off. */
  prompt(question: string, hidden: boolean): Promise<string>;
  /** Whether stdin is a terminal we may prompt on. */
  interactive: boolean;
}

export interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  /** false with --no-store: verify only. */
  store?: boolean;
  hubUrl?: string;
  env?: NodeJS.ProcessEnv;
}

function describeStore(store: DockerLoginStore): string {
  return store.kind === 'helper' ? `docker-credential-${store.helper}` : store.file;
}

async function readCredentials(input: LoginInput, opts: LoginOptions) {
  let username = opts.username?.trim();
  if (!username && input.interactive) username = (await input.prompt('Username: ', false)).trim();
  if (!username) throw new ValidationError('give your Docker Hub username with -u USERNAME');
  let password: string;
  if (opts.passwordStdin) {
    // As `docker login --password-stdin`: one trailing newline is not part of the password.
    password = (await input.readStdin()).replace(/\r?\n$/, '');
  } else if (input.interactive) {
    password = await input.prompt('Password: ', true);
  } else {
    throw new ValidationError(
      'a password is needed: pipe it with --password-stdin, or run in a terminal to be asked',
    );
  }
  if (!password) throw new ValidationError('the password (or access token) is empty');
  return { username, secret: new Secret(password) };
}

/** Verifies the credentials by minting a Hub JWT, then stores them where `docker` looks. */
export async function loginCommand(input: LoginInput, opts: LoginOptions): Promise<CommandResult> {
  const { username, secret } = await readCredentials(input, opts);
  const hub = new HubClient({
    baseUrl: opts.hubUrl,
    credentials: { username, password: secret, env: {}, useDockerConfig: false },
  });
  try {
    await hub.auth.token();
  } catch (err) {
    if (err instanceof AuthenticationError)
      throw new AuthenticationError(`login failed: Docker Hub refused the credentials of ${username}`, {
        status: err.status,
      });
    throw err;
  } finally {
    await hub.close();
  }
  const store =
    opts.store === false ? undefined : await storeDockerHubLogin({ username, secret }, { env: opts.env });
  const data = { username, serverUrl: DOCKER_HUB_SERVER_URL, storedIn: store ? describeStore(store) : null };
  return {
    data,
    text: () =>
      `Login Succeeded as ${username} (${data.storedIn ? `stored in ${data.storedIn}` : 'verified only, not stored'})\n`,
  };
}

export async function logoutCommand(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  const { store, removed } = await eraseDockerHubLogin({ env: opts.env });
  const data = { serverUrl: DOCKER_HUB_SERVER_URL, removed, store: describeStore(store) };
  return {
    data,
    text: () =>
      removed
        ? `Removed login credentials for ${DOCKER_HUB_SERVER_URL} (${data.store})\n`
        : `Not logged in to ${DOCKER_HUB_SERVER_URL}\n`,
  };
}

const truncate = (text: string | undefined, max = 60) =>
  text && text.length > max ? `${text.slice(0, max - 1)}…` : text || undefined;

/** Undocumented endpoint (search v4): the first `--limit` results, best match first. */
export async function searchCommand(
  hub: HubClient,
  term: string,
  opts: { limit?: string; official?: boolean; type?: string },
): Promise<CommandResult<SearchResult[]>> {
  const limit = integerFlag('--limit', opts.limit, 1, 2500) ?? 25;
  const data = await hub.search
    .list({
      query: term,
      size: Math.min(limit, 100),
      badges: opts.official ? ['official'] : undefined,
      type: opts.type as SearchType | undefined,
    })
    .toArray(limit);
  return {
    data,
    text: () =>
      table(
        ['NAME', 'STARS', 'PULLS', 'OFFICIAL', 'DESCRIPTION'],
        data.map((r) => [
          r.name,
          r.star_count,
          r.pull_count,
          r.badge === 'official' ? '[OK]' : '',
          truncate(r.short_description),
        ]),
      ),
  };
}

/** Undocumented endpoint: the organizations the logged-in user belongs to. */
export async function orgsCommand(
  hub: HubClient,
  opts: { all?: boolean; pageSize?: string },
): Promise<CommandResult<UserOrg[]>> {
  const pageSize = listPageSize(opts);
  const list = hub.users.orgs({ page_size: pageSize });
  const data = await listed(list, opts.all);
  return {
    data,
    text: () =>
      data.length === 0
        ? 'no organizations\n'
        : table(
            ['ORGANIZATION', 'FULL NAME', 'ROLE'],
            data.map((o) => [o.orgname, o.full_name || undefined, o.user_role]),
          ),
  };
}
