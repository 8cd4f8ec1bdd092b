/**
 * What the demo's Docker Scout knows: the acme organization enrolled with four policies, an Alpine base
 * image with tag recommendations, and the two pushed versions of `acme/hello` (v2 fixes most of v1's
 * CVEs, drops a package, adds another, and stops running as root), by the digests they were pushed
 * with. Plain data; the emulator computes every count and policy result from it.
 */
import { createHash } from 'node:crypto';
import type { ScoutSeed, ScoutSeedImage, ScoutSeedPackage, ScoutSeedPolicy } from './scout/seed.js';

const digestOf = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;

const ALPINE = digestOf('demo alpine:3.19.1');
const ALPINE_LAYER = digestOf('demo alpine:3.19.1 layer');
const APP_LAYER = digestOf('demo hello app layer');

const apk = (name: string, version: string, extra: Partial<ScoutSeedPackage> = {}): ScoutSeedPackage => ({
  purl: `pkg:apk/alpine/${name}@${version}?os_name=alpine&os_version=3.19`,
  licenses: ['MIT'],
  locations: [{ path: '/lib/apk/db/installed' }],
  ...extra,
});

const npm = (name: string, version: string, extra: Partial<ScoutSeedPackage> = {}): ScoutSeedPackage => ({
  purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
  licenses: ['MIT'],
  locations: [{ path: `/app/node_modules/${name}/package.json`, diffId: APP_LAYER }],
  ...extra,
});

const high = (id: string, fixedBy: string, score = 7.5) => ({
  id,
  severity: 'HIGH' as const,
  score,
  fixedBy,
});

const alpine: ScoutSeedPackage[] = [
  apk('busybox', '1.36.1-r15', {
    licenses: ['GPL-2.0-only'],
    vulnerabilities: [
      { id: 'CVE-2023-42363', severity: 'MEDIUM', score: 5.5, fixedBy: '1.36.1-r16', cwes: ['CWE-416'] },
    ],
  }),
  apk('libcrypto3', '3.1.4-r5', {
    licenses: ['Apache-2.0'],
    vulnerabilities: [{ id: 'CVE-2024-2511', severity: 'LOW', score: 3.7, fixedBy: '3.1.4-r6' }],
  }),
  apk('musl', '1.2.4_git20230717-r4'),
];

const helloV1: ScoutSeedPackage[] = [
  ...alpine,
  npm('express', '4.18.2', {
    vulnerabilities: [
      {
        id: 'CVE-2024-29041',
        severity: 'MEDIUM',
        score: 6.1,
        fixedBy: '4.19.2',
        description: 'Open redirect in malformed URLs',
      },
    ],
  }),
  npm('body-parser', '1.20.1', { vulnerabilities: [high('CVE-2024-45590', '1.20.3')] }),
  npm('path-to-regexp', '0.1.7', { vulnerabilities: [high('CVE-2024-45296', '0.1.10')] }),
  npm('cross-spawn', '7.0.3', { vulnerabilities: [high('CVE-2024-21538', '7.0.5')] }),
  npm('minimist', '1.2.5', {
    vulnerabilities: [
      {
        id: 'CVE-2021-44906',
        severity: 'CRITICAL',
        score: 9.8,
        fixedBy: '1.2.6',
        description: 'Prototype pollution',
        cwes: ['CWE-1321'],
      },
    ],
  }),
  npm('@acme/pdf-kit', '2.1.0', { licenses: ['AGPL-3.0-only'] }),
];

const helloV2: ScoutSeedPackage[] = [
  ...alpine,
  npm('express', '4.21.2'),
  npm('body-parser', '1.20.3'),
  npm('path-to-regexp', '0.1.12'),
  npm('cross-spawn', '7.0.6'),
  npm('semver', '7.5.1', {
    vulnerabilities: [{ id: 'CVE-2022-25883', severity: 'MEDIUM', score: 5.3, fixedBy: '7.5.2' }],
  }),
];

/** Docker Scout's four default policies, as an organization enrolled in Scout gets them. */
export const DEFAULT_SCOUT_POLICIES: ScoutSeedPolicy[] = [
  {
    definitionName: 'no-fixable-critical-or-high-vulnerabilities',
    displayName: 'No fixable critical or high vulnerabilities',
    kind: 'vulnerability',
    severities: ['CRITICAL', 'HIGH'],
    fixableOnly: true,
  },
  {
    definitionName: 'no-agpl-v3-licenses',
    displayName: 'No AGPL v3 licenses',
    kind: 'license',
    licenses: ['AGPL-3.0-only', 'AGPL-3.0-or-later'],
  },
  {
    definitionName: 'default-non-root-user',
    displayName: 'Default non-root user',
    kind: 'boolean',
    check: 'non-root-user',
  },
  {
    definitionName: 'no-outdated-base-images',
    displayName: 'No outdated base images',
    kind: 'generic',
    check: 'up-to-date-base-image',
  },
];

/** The organization and the base image; the pushed images are added once their digests are known. */
export function demoScoutSeed(org: string, owner: string): ScoutSeed {
  return {
    orgs: [
      {
        name: org,
        owners: [owner],
        policies: DEFAULT_SCOUT_POLICIES,
      },
    ],
    images: [
      {
        digest: ALPINE,
        repository: 'library/alpine',
        tags: ['3.19.1', '3.19'],
        createdAt: '2024-01-27T00:00:00Z',
        platform: { os: 'linux', architecture: 'amd64' },
        layers: [ALPINE_LAYER],
        size: 3_400_000,
        packages: alpine,
        recommendations: {
          currentTag: '3.19.1',
          tags: [
            {
              tag: '3.21.3',
              digest: digestOf('demo alpine:3.21.3'),
              tags: ['3.21.3', '3.21', 'latest'],
              aliases: ['latest'],
              createdAt: '2025-02-14T00:00:00Z',
              packageCount: 15,
              imageSize: 3_640_000,
              vulnerabilities: {},
              os: 'alpine',
              score: 100,
              summary: 'Newer image for the same tag family, with no known vulnerabilities',
              reasons: [
                { name: 'vulnerabilities', reason: 'no known vulnerabilities', score: 60 },
                { name: 'freshness', reason: 'released a year later', score: 40 },
              ],
            },
            {
              tag: '3.20.6',
              digest: digestOf('demo alpine:3.20.6'),
              tags: ['3.20.6', '3.20'],
              createdAt: '2025-02-14T00:00:00Z',
              packageCount: 15,
              imageSize: 3_620_000,
              vulnerabilities: { low: 1 },
              os: 'alpine',
              score: 80,
              summary: 'Minor upgrade with fewer vulnerabilities',
            },
          ],
        },
      },
    ],
  };
}

/** The pushed `org/hello` images as Scout knows them: v1 first, then v2. */
export function demoScoutImages(
  org: string,
  host: string,
  digests: { v1: string; v2: string },
): ScoutSeedImage[] {
  const common = {
    repository: `${org}/hello`,
    hostName: host,
    organization: org,
    platform: { os: 'linux', architecture: 'amd64' },
    layers: [ALPINE_LAYER, APP_LAYER],
    baseImage: { digest: ALPINE },
  };
  return [
    {
      ...common,
      digest: digests.v1,
      tags: ['v1'],
      createdAt: '2025-01-10T09:00:00Z',
      user: 'root',
      packages: helloV1,
      streams: ['production'],
    },
    {
      ...common,
      digest: digests.v2,
      tags: ['v2', 'latest'],
      createdAt: '2025-03-02T09:00:00Z',
      user: 'node',
      packages: helloV2,
      streams: ['staging'],
    },
  ];
}
