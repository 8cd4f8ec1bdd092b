/** One-line, redacted error messages for the CLI, and exit codes scripts can rely on. */
import { AbortError, DockerHubError, InvalidReferenceError, ValidationError } from '../core/errors.js';
import { redactText } from '../core/redact.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** As shells report a process ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

export function exitCodeFor(err: unknown): number {
  if (err instanceof AbortError) return EXIT_INTERRUPTED;
  return err instanceof ValidationError || err instanceof InvalidReferenceError ? EXIT_USAGE : EXIT_FAILURE;
}

export function formatCliError(err: unknown, json: boolean): string {
  if (json) {
    const body = err instanceof DockerHubError ? err.toJSON() : { name: 'Error', message: messageOf(err) };
    return JSON.stringify({ error: body });
  }
  return `dockerhub: ${messageOf(err)}`;
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // One line: the first line of the message, redacted.
  return redactText(text.split('\n')[0] ?? text);
}
