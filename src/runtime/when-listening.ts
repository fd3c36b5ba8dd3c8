/** The parts of a Node server (`http.Server`) this reads. */
interface ListeningServer {
  readonly listening?: boolean;
  address(): { readonly port: number } | string | null;
  once(event: 'listening', listener: () => void): unknown;
}

/** Where a server listens: its port, or the name of its pipe. */
export type ListeningAddress = number | string | undefined;

/**
 * Calls `then` with the server's port once it listens: at once if it already does, and with
 * `undefined` at once when `server` is not a server (nothing to wait for). Adapters create
 * their socket servers before the application listens, so the port of the app's own HTTP
 * server is only known later.
 */
export function whenListening(server: unknown, then: (address: ListeningAddress) => void): void {
  if (!isServer(server)) {
    then(undefined);
    return;
  }
  const report = () => {
    const address = server.address();
    then(address === null ? undefined : typeof address === 'string' ? address : address.port);
  };
  if (server.listening === true) report();
  else server.once('listening', report);
}

function isServer(value: unknown): value is ListeningServer {
  const server = value as Partial<ListeningServer> | null | undefined;
  return typeof server?.address === 'function' && typeof server.once === 'function';
}
