/**
 * The docker-credential-* helper protocol: `docker-credential-<name> get|store|erase` with the server URL
 * (or a JSON payload) on stdin and JSON on stdout. Run without a shell, with a timeout.
 */
import { spawn } from 'node:child_process';
import { DockerHubError } from './errors.js';
import { redactText } from './redact.js';
import { Secret } from './secret.js';

export interface HelperOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function runHelper(
  helper: string,
  action: string,
  input: string,
  opts: HelperOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!NAME.test(helper))
    return Promise.reject(new DockerHubError(`invalid credential helper name "${helper}"`));
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 10_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (err) => {
      reject(
        new DockerHubError(
          `credential helper docker-credential-${helper} could not run: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (signal)
        reject(
          new DockerHubError(
            `credential helper docker-credential-${helper} ${action} was stopped (${signal})`,
          ),
        );
      else resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

function failure(
  helper: string,
  action: string,
  out: { stdout: string; stderr: string },
  secrets: string[] = [],
): DockerHubError {
  let text = (out.stderr || out.stdout).trim().split('\n')[0] ?? '';
  for (const s of secrets) if (s) text = text.split(s).join('[REDACTED]');
  return new DockerHubError(
    `credential helper docker-credential-${helper} ${action} failed: ${redactText(text) || 'no output'}`,
  );
}

export async function credentialHelperGet(
  helper: string,
  serverUrl: string,
  opts: HelperOptions = {},
): Promise<{ username: string; secret: Secret } | undefined> {
  const out = await runHelper(helper, 'get', serverUrl, opts);
  if (out.code !== 0) {
    if (/credentials not found/i.test(out.stdout + out.stderr)) return undefined;
    throw failure(helper, 'get', out);
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(out.stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new DockerHubError(`credential helper docker-credential-${helper} get returned invalid JSON`);
  }
  if (!parsed.Secret) return undefined;
  return { username: parsed.Username ?? '', secret: new Secret(parsed.Secret) };
}

export async function credentialHelperStore(
  helper: string,
  cred: { serverUrl: string; username: string; secret: Secret },
  opts: HelperOptions = {},
): Promise<void> {
  const payload = JSON.stringify({
    ServerURL: cred.serverUrl,
    Username: cred.username,
    Secret: cred.secret.reveal(),
  });
  const out = await runHelper(helper, 'store', payload, opts);
  if (out.code !== 0) throw failure(helper, 'store', out, [cred.secret.reveal()]);
}

export async function credentialHelperErase(
  helper: string,
  serverUrl: string,
  opts: HelperOptions = {},
): Promise<void> {
  const out = await runHelper(helper, 'erase', serverUrl, opts);
  if (out.code !== 0 && !/credentials not found/i.test(out.stdout + out.stderr))
    throw failure(helper, 'erase', out);
}
