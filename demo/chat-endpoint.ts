/** The chat runs over plain WebSockets (`ws`) or Socket.IO; one app serves one of them. */
export type ChatTransport = 'ws' | 'socket.io';

/**
 * How a page on another origin reaches the chat's socket: for `ws`, the socket's `ws:` URL;
 * for Socket.IO, the app's origin, which serves the client at `/socket.io/socket.io.js` and
 * the engine at `/socket.io/`.
 */
export interface ChatEndpoint {
  readonly transport: ChatTransport;
  readonly url: string;
}

/** The path of the `ws` chat gateway. */
export const WS_CHAT_PATH = '/chat';

/** @param appOrigin `http://host:port` of the chat app. */
export function chatEndpoint(transport: ChatTransport, appOrigin: string): ChatEndpoint {
  const url = transport === 'ws' ? `${appOrigin.replace(/^http/, 'ws')}${WS_CHAT_PATH}` : appOrigin;
  return { transport, url };
}
