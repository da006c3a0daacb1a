// Starts a bench's local HTTP server on a free loopback port.

/**
 * Listens on 127.0.0.1 at a port the system picks and returns that port.
 * @param {import('node:http').Server} server
 * @returns {Promise<number>}
 */
export async function listenOnLoopback(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      // Later errors are the caller's to handle, as before listening.
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  // A TCP listener reports an AddressInfo; a string would mean a pipe or socket path.
  if (address === null || typeof address === 'string') throw new Error(`the bench server on 127.0.0.1 reports no TCP port (address: ${JSON.stringify(address)})`);
  return address.port;
}
