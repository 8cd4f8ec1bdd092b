/**
 * SBOM documents built from Scout's package list: SPDX 2.3 JSON and CycloneDX 1.5 JSON. Scout's API
 * returns packages, not SBOM files, so the documents are assembled here with each format's required
 * fields: SPDX (spdxVersion, dataLicense, SPDXID, name, documentNamespace, creationInfo, packages with
 * downloadLocation, relationships) and CycloneDX (bomFormat, specVersion, serialNumber, version,
 * metadata, components with purls).
 */

import { randomUUID } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import { VERSION } from '../core/version.js';
import type { ImageReference } from '../reference/index.js';
import type { ScoutClient } from './client.js';
import type { ImageOptions, ImagePackage, ImagePackages } from './types.js';

export const SBOM_FORMATS = ['spdx', 'cyclonedx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];
const TOOL = { name: 'dockerhub-api', version: VERSION };

export interface SbomDocument {
  format: SbomFormat;
  /** The SPDX or CycloneDX document, ready for JSON.stringify. */
  document: Record<string, unknown>;
  packageCount: number;
}

export interface SbomMeta {
  created?: Date;
  /** Fixed ids make documents reproducible in tests; random by default. */
  uuid?: string;
}

export function parseSbomFormat(value: string): SbomFormat {
  const v = value.toLowerCase();
  if (!(SBOM_FORMATS as readonly string[]).includes(v))
    throw new ValidationError(`unknown SBOM format "${value}"; valid: ${SBOM_FORMATS.join(', ')}`);
  return v as SbomFormat;
}

export function sbom(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions & { format: SbomFormat; created?: Date },
): Promise<SbomDocument> {
  return instrument('docker.scout.sbom', { image: String(image), format: opts.format }, async () => {
    const packages = await scout.packages(image, opts);
    return buildSbom(packages, opts.format, { created: opts.created });
  });
}

export function buildSbom(packages: ImagePackages, format: SbomFormat, meta: SbomMeta = {}): SbomDocument {
  const document = format === 'spdx' ? spdxDocument(packages, meta) : cycloneDxDocument(packages, meta);
  return { format, document, packageCount: packages.packages.length };
}

function imageName(p: ImagePackages): string {
  return p.image.reference ?? p.image.digest;
}

/** `pkg:oci/<name>@<digest>`: the purl of the image itself (digest percent-encoded per the purl spec). */
function imagePurl(p: ImagePackages): string {
  const repo = p.image.reference?.replace(/@.*$/, '').replace(/:[^/:]+$/, '') ?? 'image';
  const name = repo.split('/').pop() ?? 'image';
  const qualifiers = p.image.reference ? `?repository_url=${encodeURIComponent(repo)}` : '';
  return `pkg:oci/${name}@${encodeURIComponent(p.image.digest)}${qualifiers}`;
}

// ---- SPDX 2.3 --------------------------------------------------------------------------------------

const SIMPLE_LICENSE = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/** An SPDX license expression from Scout's license strings, or NOASSERTION when they are not ids. */
function spdxLicense(licenses: readonly string[]): string {
  const ids = licenses.map((l) => l.trim()).filter(Boolean);
  if (ids.length === 0 || !ids.every((l) => SIMPLE_LICENSE.test(l))) return 'NOASSERTION';
  return ids.join(' AND ');
}

function spdxId(prefix: string, index: number, name: string): string {
  return `SPDXRef-${prefix}-${index}-${name.replace(/[^A-Za-z0-9.-]+/g, '-')}`.slice(0, 128);
}

function spdxDocument(p: ImagePackages, meta: SbomMeta): Record<string, unknown> {
  const created = (meta.created ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const root = 'SPDXRef-Image';
  const packages = p.packages.map((pkg, i) => ({
    name: pkg.name,
    SPDXID: spdxId('Package', i + 1, pkg.name),
    versionInfo: pkg.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: spdxLicense(pkg.licenses),
    copyrightText: 'NOASSERTION',
    ...(pkg.author ? { supplier: `Organization: ${pkg.author.replace(/\s+/g, ' ')}` } : {}),
    ...(pkg.description ? { description: pkg.description } : {}),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
    ],
  }));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: imageName(p),
    documentNamespace: `https://scout.docker.com/spdx/${encodeURIComponent(p.image.digest)}/${meta.uuid ?? randomUUID()}`,
    creationInfo: { created, creators: [`Tool: ${TOOL.name}-${TOOL.version}`] },
    documentDescribes: [root],
    packages: [
      {
        name: imageName(p),
        SPDXID: root,
        versionInfo: p.image.digest,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
        primaryPackagePurpose: 'CONTAINER',
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: imagePurl(p) },
        ],
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root },
      ...packages.map((pkg) => ({
        spdxElementId: root,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: pkg.SPDXID,
      })),
    ],
  };
}

// ---- CycloneDX 1.5 ---------------------------------------------------------------------------------

function cdxLicenses(licenses: readonly string[]): Array<Record<string, unknown>> {
  return licenses
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (SIMPLE_LICENSE.test(l) ? { license: { id: l } } : { license: { name: l } }));
}

function cdxComponent(pkg: ImagePackage, i: number): Record<string, unknown> {
  return {
    type: 'library',
    'bom-ref': `pkg-${i + 1}-${pkg.purl}`,
    name: pkg.name,
    version: pkg.version,
    ...(pkg.namespace ? { group: pkg.namespace } : {}),
    ...(pkg.author ? { author: pkg.author } : {}),
    ...(pkg.description ? { description: pkg.description } : {}),
    purl: pkg.purl,
    ...(pkg.licenses.length ? { licenses: cdxLicenses(pkg.licenses) } : {}),
    properties: pkg.locations.map((l) => ({ name: 'docker:scout:location', value: `${l.diffId}:${l.path}` })),
  };
}

function cycloneDxDocument(p: ImagePackages, meta: SbomMeta): Record<string, unknown> {
  const root = `image-${p.image.digest}`;
  const components = p.packages.map(cdxComponent);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${meta.uuid ?? randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (meta.created ?? new Date()).toISOString(),
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
      component: {
        type: 'container',
        'bom-ref': root,
        name: imageName(p),
        version: p.image.digest,
        purl: imagePurl(p),
      },
    },
    components,
    dependencies: [{ ref: root, dependsOn: components.map((c) => c['bom-ref'] as string) }],
  };
}
