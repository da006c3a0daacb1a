// The MCP App `ui://dspec/preview`: runs in the host's sandboxed iframe. It receives the tool
// call's arguments through the App bridge, asks the server for the preview document (the
// app-only tool `preview_document`) and shows it in a nested frame.
import { App } from '@modelcontextprotocol/ext-apps';

const PREVIEW_KEYS = ['name', 'screen', 'props', 'theme', 'description', 'viewport', 'story'] as const;

const app = new App({ name: 'dspec preview', version: '1.0.0' }, {}, { autoResize: true });
const frame = document.getElementById('preview') as HTMLIFrameElement;
const status = document.getElementById('status')!;

function show(message: string): void {
  status.textContent = message;
  status.hidden = false;
}

/** The arguments of generate_component, export_screen or preview, as preview_document takes them. */
function previewArguments(args: Record<string, unknown>): Record<string, unknown> | undefined {
  const picked: Record<string, unknown> = {};
  for (const key of PREVIEW_KEYS) if (args[key] !== undefined) picked[key] = args[key];
  const modes = args.modes;
  if (Array.isArray(modes) && (modes[0] === 'light' || modes[0] === 'dark')) picked.mode = modes[0];
  const theme = app.getHostContext()?.theme;
  if (picked.mode === undefined && (theme === 'light' || theme === 'dark')) picked.mode = theme;
  return picked.name !== undefined || picked.screen !== undefined ? picked : undefined;
}

let requested = '';
async function load(args: Record<string, unknown>): Promise<void> {
  const request = previewArguments(args);
  if (!request) return;
  const key = JSON.stringify(request);
  if (key === requested) return;
  requested = key;
  show(`Building the preview of ${typeof request.name === 'string' ? request.name : 'the screen'}…`);
  try {
    const result = await app.callServerTool({ name: 'preview_document', arguments: request });
    const html = (result.structuredContent as { html?: unknown } | undefined)?.html;
    if (result.isError || typeof html !== 'string') {
      const text = result.content?.find((block) => block.type === 'text');
      show(text && 'text' in text ? String(text.text) : 'The server returned no preview.');
      return;
    }
    frame.srcdoc = html;
    frame.hidden = false;
    status.hidden = true;
  } catch (error) {
    show(`The preview could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

app.ontoolinput = (params) => void load(params.arguments ?? {});
app.ontoolresult = (result) => {
  if (result.isError) show('The tool reported an error; there is nothing to preview.');
};
app.onhostcontextchanged = (context) => {
  if (context.theme) document.documentElement.dataset.theme = context.theme;
};

void app.connect().catch((error: unknown) => show(`Not connected to a host: ${error instanceof Error ? error.message : String(error)}`));
