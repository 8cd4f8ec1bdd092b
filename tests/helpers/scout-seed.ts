/**
 * A small but realistic Docker Scout seed: an Alpine base image with tag recommendations, and two
 * versions of a private Node.js app built on it (v2 fixes some CVEs, drops a package, adds another).
 * Image digests are given by the test (pushed to a real registry) or derived from a name.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SCOUT_POLICIES } from '../../src/emulator/demo-scout.js';
import type { Seed } from '../../src/emulator/index.js';
import type { ScoutSeedPackage } from '../../src/emulator/scout/seed.js';

export const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

export const fakeDigest = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;

export const ALPINE_DIGEST = fakeDigest('alpine:3.18.4');
const ALPINE_LAYER = fakeDigest('alpine:3.18.4 layer');
const APP_LAYER = fakeDigest('app layer');

const alpinePackages: ScoutSeedPackage[] = [
  {
    purl: 'pkg:apk/alpine/busybox@1.36.1-r5?os_name=alpine&os_version=3.18',
    licenses: ['GPL-2.0-only'],
    locations: [{ path: '/lib/apk/db/installed' }],
    vulnerabilities: [
      {
        id: 'CVE-2023-42363',
        severity: 'MEDIUM',
        score: 5.5,
        vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
        fixedBy: '1.36.1-r7',
        vulnerableRange: '<1.36.1-r7',
        cwes: ['CWE-416'],
      },
    ],
  },
  {
    purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r0?os_name=alpine&os_version=3.18',
    licenses: ['Apache-2.0'],
    locations: [{ path: '/lib/apk/db/installed' }],
    vulnerabilities: [
      {
        id: 'CVE-2023-6129',
        severity: 'MEDIUM',
        score: 6.5,
        fixedBy: '3.1.4-r3',
        vulnerableRange: '<3.1.4-r3',
      },
      {
        id: 'CVE-2024-0727',
        severity: 'MEDIUM',
        score: 5.5,
        fixedBy: '3.1.4-r5',
        vulnerableRange: '<3.1.4-r5',
      },
    ],
  },
  {
    purl: 'pkg:apk/alpine/musl@1.2.4-r2?os_name=alpine&os_version=3.18',
    licenses: ['MIT'],
    locations: [{ path: '/lib/apk/db/installed' }],
  },
];

const npm = (name: string, version: string, extra: Partial<ScoutSeedPackage> = {}): ScoutSeedPackage => ({
  purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
  licenses: ['MIT'],
  locations: [{ path: `/app/node_modules/${name}/package.json`, diffId: APP_LAYER }],
  ...extra,
});

const appV1Packages: ScoutSeedPackage[] = [
  ...alpinePackages,
  npm('express', '4.18.2', {
    vulnerabilities: [
      {
        id: 'CVE-2024-29041',
        severity: 'MEDIUM',
        score: 6.1,
        fixedBy: '4.19.2',
        vulnerableRange: '<4.19.2',
        url: 'https://github.com/advisories/GHSA-rv95-896h-c2vc',
      },
    ],
  }),
  npm('braces', '3.0.2', {
    vulnerabilities: [{ id: 'CVE-2024-4068', severity: 'HIGH', score: 7.5, fixedBy: '3.0.3' }],
  }),
  npm('lodash', '4.17.20', {
    vulnerabilities: [{ id: 'CVE-2021-23337', severity: 'HIGH', score: 7.2, fixedBy: '4.17.21' }],
  }),
  npm('semver', '7.5.1', {
    vulnerabilities: [{ id: 'CVE-2022-25883', severity: 'MEDIUM', score: 5.3, fixedBy: '7.5.2' }],
  }),
  npm('ip', '2.0.0', {
    // No fixed version: the fixable-only policy ignores it.
    vulnerabilities: [{ id: 'CVE-2024-29415', severity: 'HIGH', score: 8.1, cisaExploited: false }],
  }),
  npm('@xmldom/xmldom', '0.7.5', {
    vulnerabilities: [
      {
        id: 'CVE-2022-39353',
        severity: 'CRITICAL',
        score: 9.8,
        fixedBy: '0.7.7',
        description: 'xmldom accepts multiple root elements',
        cisaExploited: true,
      },
    ],
  }),
  npm('@acme/report-kit', '1.2.0', { licenses: ['AGPL-3.0-only'] }),
];

const appV2Packages: ScoutSeedPackage[] = [
  ...alpinePackages,
  npm('express', '4.19.2'),
  npm('braces', '3.0.3'),
  npm('lodash', '4.17.21'),
  npm('semver', '7.5.1', {
    vulnerabilities: [{ id: 'CVE-2022-25883', severity: 'MEDIUM', score: 5.3, fixedBy: '7.5.2' }],
  }),
  npm('ip', '2.0.0', {
    vulnerabilities: [{ id: 'CVE-2024-29415', severity: 'HIGH', score: 8.1 }],
  }),
  npm('ws', '8.17.0', {
    vulnerabilities: [{ id: 'CVE-2024-37890', severity: 'HIGH', score: 7.5, fixedBy: '8.17.1' }],
  }),
];

export interface ScoutSeedDigests {
  appV1: string;
  appV2: string;
  /** Where the app lives (`team/app` on Docker Hub, or a test registry's host). */
  hostName?: string;
}

export function scoutSeed(d: ScoutSeedDigests): Seed {
  return {
    users: [
      { username: 'carol', password: SENTINEL, email: 'carol@example.test' },
      { username: 'dave', password: SENTINEL },
      { username: 'erin', password: SENTINEL },
    ],
    orgs: [
      { name: 'team', members: ['carol', 'dave'] },
      { name: 'other', members: ['erin'] },
    ],
    scout: {
      usersWithoutScout: ['dave'],
      orgs: [
        {
          name: 'team',
          owners: ['carol'],
          policies: DEFAULT_SCOUT_POLICIES,
        },
      ],
      images: [
        {
          digest: ALPINE_DIGEST,
          repository: 'library/alpine',
          tags: ['3.18.4', '3.18'],
          createdAt: '2023-11-30T23:21:05Z',
          platform: { os: 'linux', architecture: 'amd64' },
          layers: [ALPINE_LAYER],
          size: 3_400_000,
          packages: alpinePackages,
          recommendations: {
            currentTag: '3.18.4',
            tags: [
              {
                tag: '3.20.3',
                digest: fakeDigest('alpine:3.20.3'),
                tags: ['3.20.3', '3.20', 'latest'],
                aliases: ['latest'],
                createdAt: '2024-09-06T22:20:07Z',
                packageCount: 14,
                imageSize: 3_620_000,
                vulnerabilities: {},
                os: 'alpine',
                score: 100,
                summary: 'Newer image for same tag family with no vulnerabilities',
                reasons: [
                  { name: 'vulnerabilities', reason: 'no known vulnerabilities', score: 60 },
                  { name: 'freshness', reason: 'released 9 months later', score: 40 },
                ],
              },
              {
                tag: '3.19.4',
                digest: fakeDigest('alpine:3.19.4'),
                tags: ['3.19.4', '3.19'],
                createdAt: '2024-09-06T22:20:07Z',
                packageCount: 15,
                imageSize: 3_420_000,
                vulnerabilities: { medium: 1 },
                os: 'alpine',
                score: 80,
                summary: 'Minor upgrade with fewer vulnerabilities',
                reasons: [],
              },
            ],
          },
        },
        {
          digest: d.appV1,
          repository: 'team/app',
          hostName: d.hostName,
          tags: ['v1'],
          organization: 'team',
          createdAt: '2024-03-01T10:00:00Z',
          platform: { os: 'linux', architecture: 'amd64' },
          layers: [ALPINE_LAYER, APP_LAYER],
          user: 'root',
          packages: appV1Packages,
          baseImage: { digest: ALPINE_DIGEST },
          streams: ['production'],
        },
        {
          digest: d.appV2,
          repository: 'team/app',
          hostName: d.hostName,
          tags: ['v2'],
          organization: 'team',
          createdAt: '2024-06-01T10:00:00Z',
          platform: { os: 'linux', architecture: 'amd64' },
          layers: [ALPINE_LAYER, APP_LAYER],
          user: 'node',
          packages: appV2Packages,
          baseImage: { digest: ALPINE_DIGEST },
          streams: ['staging'],
        },
      ],
    },
  };
}
