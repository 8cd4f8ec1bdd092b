/**
 * A person confirms each destructive call before it runs. The question goes out as an `input_required`
 * result (the 2026-07-28 way; the SDK turns it into an `elicitation/create` request on 2025-era
 * connections), naming exactly what will change. Accepted with the box ticked: the call runs. Declined,
 * cancelled, unanswered or unticked: nothing runs.
 */
import {
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type ServerContext,
} from '@modelcontextprotocol/server';

/**
 * `auto`: ask when the client can answer, otherwise rely on the host's own approval of a tool marked
 * `destructiveHint` (the operator enabled destructive actions). `always`: refuse when the client cannot ask.
 */
export type ConfirmMode = 'auto' | 'always';

export const CONFIRM_KEY = 'confirm';

export type Confirmation =
  | { kind: 'confirmed' }
  | { kind: 'declined'; reason: string }
  | { kind: 'ask'; result: InputRequiredResult }
  | { kind: 'unsupported' };

/** Whether the client said it can answer form elicitations, on either protocol era. */
export function canElicit(
  ctx: ServerContext,
  legacyCapabilities: Record<string, unknown> | undefined,
): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = (envelope?.['io.modelcontextprotocol/clientCapabilities'] ?? legacyCapabilities) as
    | { elicitation?: { form?: unknown; url?: unknown } }
    | undefined;
  const e = caps?.elicitation;
  // `elicitation: {}` is the 2025-06-18 form of "form mode supported".
  return e !== undefined && (e.form !== undefined || e.url === undefined);
}

export function confirmation(ctx: ServerContext, question: string, supported: boolean): Confirmation {
  const answer = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
  if (answer.kind === 'elicit') {
    if (answer.action !== 'accept') return { kind: 'declined', reason: `the user chose ${answer.action}` };
    const content = answer.content as { confirm?: unknown } | undefined;
    return content?.confirm === true
      ? { kind: 'confirmed' }
      : { kind: 'declined', reason: 'the user did not tick the confirmation' };
  }
  if (answer.kind !== 'missing') return { kind: 'declined', reason: 'the answer was not a confirmation' };
  if (!supported) return { kind: 'unsupported' };
  return {
    kind: 'ask',
    result: inputRequired({
      inputRequests: {
        [CONFIRM_KEY]: inputRequired.elicit({
          message: question,
          requestedSchema: {
            type: 'object',
            properties: {
              confirm: {
                type: 'boolean',
                title: 'Yes, do it',
                description: 'Tick to run it; anything else runs nothing.',
              },
            },
            required: ['confirm'],
          },
        }),
      },
    }),
  };
}
