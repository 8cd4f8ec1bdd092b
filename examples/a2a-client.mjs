// Talk to dockerhub-agent with the A2A JavaScript SDK: stream an answer, showing tool calls as they
// happen, and answer an approval request from the terminal.
//   npm install @a2a-js/sdk
//   AGENT_URL=http://127.0.0.1:8090 AGENT_AUTH_TOKEN=… node examples/a2a-client.mjs "Delete acme/legacy-batch"
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { Role } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';

const url = process.env.AGENT_URL ?? 'http://127.0.0.1:8090';
const token = process.env.AGENT_AUTH_TOKEN;
const withToken = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const client = await new ClientFactory(
  ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory({ fetchImpl: withToken })],
  }),
).createFromUrl(url);

const part = (content) => ({ content, mediaType: '', filename: '', metadata: undefined });
const message = (parts, ids = {}) => ({
  message: {
    messageId: randomUUID(),
    role: Role.ROLE_USER,
    parts,
    contextId: ids.contextId ?? '',
    taskId: ids.taskId ?? '',
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  },
  configuration: undefined,
  metadata: undefined,
  tenant: '',
});

const dataOf = (msg) => msg?.parts.find((p) => p.content?.$case === 'data')?.content.value;
const textOf = (msg) => msg?.parts.find((p) => p.content?.$case === 'text')?.content.value;

async function send(request) {
  let ids = {};
  let approval;
  let answer = '';
  let shown = 0;
  for await (const event of client.sendMessageStream(request)) {
    const { $case, value } = event.payload ?? {};
    if ($case === 'task') ids = { taskId: value.id, contextId: value.contextId };
    if ($case === 'artifactUpdate') {
      // append: a piece to add; otherwise the text so far (the last one is the whole answer).
      const piece = value.artifact.parts.map((p) => p.content?.value ?? '').join('');
      answer = value.append ? answer + piece : piece;
      process.stdout.write(answer.slice(shown));
      shown = answer.length;
    }
    if ($case === 'statusUpdate') {
      const data = dataOf(value.status.message);
      if (data?.type === 'tool-call' || data?.type === 'tool-result')
        console.log(`[${textOf(value.status.message)}]`);
      if (data?.type === 'approval-request') approval = data;
      if (data?.type === 'error') console.error(data.message);
    }
  }
  console.log();
  return { ids, approval };
}

let { ids, approval } = await send(
  message([part({ $case: 'text', value: process.argv[2] ?? "List acme's repositories" })]),
);
const rl = createInterface({ input: process.stdin, output: process.stdout });
while (approval) {
  const yes = /^y/i.test(await rl.question(`${approval.question} Approve? [y/N] `));
  ({ ids, approval } = await send(
    message([part({ $case: 'data', value: { approval: yes ? 'approve' : 'deny', id: approval.id } })], ids),
  ));
}
rl.close();
