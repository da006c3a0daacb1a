// The expensive-tool limit under a burst: more concurrent validate_component calls than the
// limit must be answered "busy" at once rather than queued without bound.
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../../test/generation/fixtures/stat-card.mjs';
import { callTool, startHttpServer } from './server-process.mjs';

const LIMIT = 4;
const BURST = 40;

// A whole bundle (component, CSS module, types, test, story): the gate's layers take a while and
// await in between, so calls overlap as they would under real load.
const ARGS = {
  name: 'StatCard',
  theme: STAT_CARD_THEME,
  files: [
    { path: 'StatCard.tsx', contents: VALID_STAT_CARD_OUTPUT.component },
    { path: 'StatCard.module.css', contents: VALID_STAT_CARD_OUTPUT.styles },
    { path: 'StatCard.types.ts', contents: VALID_STAT_CARD_OUTPUT.types },
    { path: 'StatCard.test.tsx', contents: VALID_STAT_CARD_OUTPUT.test },
    { path: 'StatCard.stories.tsx', contents: VALID_STAT_CARD_OUTPUT.story },
    { path: 'index.ts', contents: VALID_STAT_CARD_OUTPUT.index },
  ],
};

export async function runBusyBurst() {
  const server = await startHttpServer({ DSPEC_MAX_CONCURRENT_CALLS: String(LIMIT) });
  try {
    await callTool(server.mcpUrl, 'validate_component', ARGS); // loads the gate
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: BURST }, async (_, index) => {
        const t0 = performance.now();
        // A different comment in each call, so no layer can answer from a result it has seen.
        const files = ARGS.files.map((file, i) => (i === 0 ? { ...file, contents: `// burst call ${index}\n${file.contents}` } : file));
        const { status, text } = await callTool(server.mcpUrl, 'validate_component', { ...ARGS, files });
        return { status, busy: /"isError":true/.test(text) && /BUSY/.test(text), ms: performance.now() - t0 };
      }),
    );
    const busy = answers.filter((answer) => answer.busy);
    const served = answers.filter((answer) => !answer.busy && answer.status === 200);
    const result = {
      limit: LIMIT,
      burst: BURST,
      served: served.length,
      busy: busy.length,
      otherFailures: BURST - served.length - busy.length,
      slowestBusyAnswerMs: Math.round(Math.max(0, ...busy.map((answer) => answer.ms))),
      slowestServedMs: Math.round(Math.max(0, ...served.map((answer) => answer.ms))),
      wallMs: Math.round(performance.now() - started),
    };
    result.pass = result.busy > 0 && result.served >= LIMIT && result.otherFailures === 0;
    console.log(`busy burst: ${BURST} concurrent validate_component with limit ${LIMIT}: ${result.served} served, ${result.busy} answered busy (slowest busy answer ${result.slowestBusyAnswerMs} ms)`);
    return result;
  } finally {
    await server.stop();
  }
}
