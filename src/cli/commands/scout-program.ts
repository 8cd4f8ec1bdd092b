/** Registers the commands for Docker Scout. Command modules load lazily inside actions. */
import { type Command, Option } from 'commander';
import type { ScoutClient } from '../../scout/index.js';
import { runWithClient } from '../action.js';
import { createScoutClient } from '../context.js';
import type { ProgramIO } from '../program.js';
import type { CommandResult } from './registry-read.js';
import type { CvesFlags, ImageFlags, PolicyFlags, SbomFlags } from './scout.js';

/** `scout cves --exit-code` found vulnerabilities: distinct from failures (1) and usage errors (2). */
export const EXIT_VULNERABILITIES = 3;

const load = () => import('./scout.js');

export function registerScoutCommands(program: Command, io: ProgramIO): void {
  const scout = program
    .command('scout')
    .description('Docker Scout: vulnerabilities, SBOMs, base image recommendations, policies, org metrics')
    .option(
      '--scout-url <url>',
      'Docker Scout API base URL (default https://api.scout.docker.com, or DOCKERHUB_SCOUT_URL)',
    )
    .addHelpText(
      'after',
      `
Scout reads your Docker Hub login (a JWT minted from DOCKER_HUB_USER/DOCKER_HUB_TOKEN or your Docker login).
Images are references (tags are resolved to digests with the registry, one platform of a multi-platform
image: --platform, default this machine's) or bare sha256: digests. Private images need --org.`,
    );

  /** The options of every command on images; compare words --platform for its two. */
  const imageOptions = (c: Command, platform = 'platform of a multi-platform image') =>
    c
      .option('--org <organization>', 'read Scout data of this organization (private images)')
      .option('--platform <os/arch[/variant]>', platform);
  const image = (name: string, description: string) =>
    imageOptions(
      scout.command(name).description(description).argument('<image>', 'image reference or sha256: digest'),
    );

  const action = async (
    cmd: Command,
    runner: (m: Awaited<ReturnType<typeof load>>, c: ScoutClient) => Promise<CommandResult>,
  ) => {
    const m = await load();
    await runWithClient(cmd, io, createScoutClient, (c) => runner(m, c));
  };

  image('summary', 'vulnerability counts by severity of an image and of its base image').action(
    (img: string, f: ImageFlags, cmd: Command) => action(cmd, (m, c) => m.summaryCommand(c, img, f)),
  );

  image('cves', 'list the vulnerabilities of an image (CVE, severity, CVSS, package, fixed version)')
    .option('--severity <list>', 'only these severities, e.g. critical,high')
    .option(
      '--exit-code',
      `exit with ${EXIT_VULNERABILITIES} when any vulnerability (at --severity) is found: for CI gates`,
    )
    .action((img: string, f: CvesFlags, cmd: Command) => action(cmd, (m, c) => m.cvesCommand(c, img, f)));

  image('sbom', 'export the packages of an image as an SBOM: SPDX 2.3 or CycloneDX 1.5 JSON')
    .addOption(new Option('--format <format>', 'SBOM format').choices(['spdx', 'cyclonedx']).default('spdx'))
    .option('-o, --output <file>', 'write to this file (a temp file renamed when complete) instead of stdout')
    .action((img: string, f: SbomFlags, cmd: Command) => action(cmd, (m, c) => m.sbomCommand(c, img, f)));

  image('recommendations', 'the base image and the tags Scout recommends instead of it').action(
    (img: string, f: ImageFlags, cmd: Command) => action(cmd, (m, c) => m.recommendationsCommand(c, img, f)),
  );

  image(
    'policy',
    "the image's results against its organization's policies (default org: the image's namespace)",
  )
    .option('--stream <name>', 'stream (environment) for the organization summaries, default latest-indexed')
    .action((img: string, f: PolicyFlags, cmd: Command) => action(cmd, (m, c) => m.policyCommand(c, img, f)));

  imageOptions(
    scout
      .command('compare')
      .description('packages and vulnerabilities added, removed and changed from IMAGE1 to IMAGE2')
      .argument('<image1>', 'the image compared from (e.g. the deployed one)')
      .argument('<image2>', 'the image compared to (e.g. the candidate)'),
    'platform of multi-platform images',
  ).action((from: string, to: string, f: ImageFlags, cmd: Command) =>
    action(cmd, (m, c) => m.compareCommand(c, from, to, f)),
  );

  scout
    .command('metrics')
    .description(
      "an organization's vulnerability and policy metrics from the Scout exporter (PAT of an owner: DOCKERHUB_SCOUT_TOKEN or DOCKER_HUB_TOKEN)",
    )
    .argument('<org>', 'organization enrolled in Docker Scout')
    .option('--raw', 'print the Prometheus text as served')
    .action((org: string, f: { raw?: boolean }, cmd: Command) =>
      action(cmd, (m, c) => m.metricsCommand(c, org, f)),
    );
}
