import { PreviewBrowser } from './headless-browser.js';
import type { HostReply, HostRequest } from './render-host-client.js';

/**
 * The preview's browser driver, run as a child process of the server (see render-host-client):
 * playwright-core (some 80 MB once loaded) and the Chromium it starts live here, and the server's
 * `dspec://status` reports this process's memory beside the browser's. It renders the documents
 * the server sends over the IPC channel and ends when that channel closes, however the server
 * ended; Chromium, on a pipe to this process, ends with it.
 */

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write('dspec preview host: start it from the dspec server (it talks over an IPC channel).\n');
  process.exit(2);
}

const browser = new PreviewBrowser({ env: process.env });

process.on('message', (message: HostRequest) => {
  void (async () => {
    let reply: HostReply;
    try {
      const render = await browser.render(message.document, message.options);
      reply = { id: message.id, ok: true, render };
    } catch (cause) {
      const error = cause as { message?: unknown; code?: unknown; suggestion?: unknown };
      reply = {
        id: message.id,
        ok: false,
        error: {
          message: String(error.message ?? cause),
          ...(typeof error.code === 'string' ? { code: error.code } : {}),
          ...(typeof error.suggestion === 'string' ? { suggestion: error.suggestion } : {}),
        },
      };
    }
    if (process.connected) send(reply);
  })();
});

process.on('disconnect', () => {
  // Closing the browser politely takes a moment; the exit follows regardless.
  setTimeout(() => process.exit(0), 5_000).unref();
  void browser.close().finally(() => process.exit(0));
});
