// Run as `node --experimental-websocket force-gc.mjs <ws://…>` (Node 20 has WebSocket behind that
// flag): asks a process started with --inspect for full garbage collections through the
// inspector protocol, so a memory figure measures what is retained, not what V8 has yet to collect.
const url = process.argv[2];
if (!url) throw new Error('usage: force-gc.mjs <inspector websocket url>');
const socket = new WebSocket(url);
const pending = new Map();
let next = 1;
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
socket.addEventListener('message', (event) => {
  const message = JSON.parse(String(event.data));
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  if (message.error) waiter.reject(new Error(message.error.message));
  else waiter.resolve(message.result);
});
await new Promise((resolve, reject) => {
  socket.addEventListener('open', resolve, { once: true });
  socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
});
// Two rounds: the first may only finalize objects that the second then frees.
await send('HeapProfiler.enable');
await send('HeapProfiler.collectGarbage');
await send('HeapProfiler.collectGarbage');
socket.close();
