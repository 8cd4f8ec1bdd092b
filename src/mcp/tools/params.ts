/**
 * Parameters several tools share, named as the Docker Hub API names them, each described once for the
 * model. A tool's catalogue spreads the ones it uses and adds its own.
 */
import { z } from 'zod';
import { parsePlatform } from '../../reference/platform.js';
import { param } from '../action.js';

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** The distribution grammar's tag: a word character, then up to 127 of [\w.-]. */
const TAG = /^\w[\w.-]{0,127}$/;

export const namespace = param(
  z.string().min(1).max(255).regex(NAME, 'lowercase letters, digits and . _ - between them'),
  'Docker Hub namespace: a user name or organization name (e.g. "library" for official images).',
);

export const repository = param(
  z.string().min(1).max(255).regex(NAME, 'lowercase letters, digits and . _ - between them'),
  'Repository name within the namespace, without the namespace (e.g. "nginx").',
);

export const tag = param(
  z.string().regex(TAG, 'a tag is a letter, digit or _ then up to 127 of [A-Za-z0-9_.-]'),
  'Tag name (e.g. "1.27" or "latest").',
);

export const org_name = param(
  z.string().min(1).max(255).regex(NAME, 'lowercase letters, digits and . _ - between them'),
  'Organization name.',
);

export const username = param(
  z.string().min(1).max(255),
  'Docker Hub user name (or, where the action says so, an email address).',
);

export const page = param(
  z.number().int().min(1),
  'Page number, from 1 (default 1); a result with `next` gives the next one.',
);

export const page_size = param(z.number().int().min(1).max(100), 'Items per page, 1-100 (default 25).');

/** Default page size of list actions: small, since results land in a model's context. */
export const DEFAULT_PAGE_SIZE = 25;

export const team_name = param(
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/]+$/, 'a team name without "/"'),
  'Team name in the organization (Docker\'s API calls teams "groups").',
);

export const search = param(z.string().min(1).max(255), 'Only entries matching this text.');

/** A list action's paging: the caller's page, and a small default page size. */
export const paging = (args: { page?: number; page_size?: number }) => ({
  page: args.page,
  page_size: args.page_size ?? DEFAULT_PAGE_SIZE,
});

function isPlatform(value: string): boolean {
  try {
    parsePlatform(value);
    return true;
  } catch {
    return false;
  }
}

export const platform = param(
  z.string().max(64).refine(isPlatform, 'os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8'),
  'One platform of a multi-platform image, os/arch[/variant], e.g. "linux/arm64".',
);
