import { type ChatTransport, WS_CHAT_PATH } from '../chat-endpoint.js';
import type { DemoSettings } from '../demo-settings.js';

/** The head every demo page has: `data:,` as its icon, so browsers never ask for a favicon. */
export const PAGE_ICON = '<link rel="icon" href="data:,">';

export function chatPage(
  user: string | undefined,
  { transport, guarded }: Pick<DemoSettings, 'transport' | 'guarded'> = {
    transport: 'ws',
    guarded: true,
  },
): string {
  const body =
    user === undefined
      ? `<form action="/login"><label>Your name <input name="name" value="alice"></label> <button>Log in</button></form>
<p>Logging in sets a session cookie. The chat's socket trusts that cookie.</p>`
      : `<p>Logged in as <b>${escapeHtml(user)}</b>. Status: <span id="status">connecting…</span></p>
<div id="log"></div>
<form id="say"><input id="text" autocomplete="off" placeholder="Say something"> <button>Send</button></form>
${chatClient(transport)}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${guarded ? 'Origin-guarded chat' : 'UNGUARDED chat (control)'}</title>
${PAGE_ICON}
<style>body{font:16px system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}#log{min-height:6rem;border:1px solid #ccc;padding:.5rem;margin:.5rem 0}</style>
</head>
<body>
<h1>${
    guarded
      ? 'Chat (protected by nestjs-origin-guard)'
      : "Chat (UNGUARDED control: Nest's plain adapter, no origin check)"
  }</h1>
${body}
</body>
</html>`;
}

/**
 * The chat's browser side. Both transports ask `whoami` once connected and show the answer
 * as "Server: you are <user> (<secret>)", then relay `say` messages.
 */
function chatClient(transport: ChatTransport): string {
  const shared = `const log = document.getElementById('log');
const status = (text) => { document.getElementById('status').textContent = text; };
const line = (text) => { const p = document.createElement('p'); p.textContent = text; log.append(p); };
const showWhoami = (data) => line('Server: you are ' + data.user + ' (' + data.secret + ')');
const showSaid = (data) => line(data.user + ': ' + data.text);`;
  if (transport === 'socket.io') {
    return `<script src="/socket.io/socket.io.js"></script>
<script>
${shared}
const socket = io({ transports: ['websocket'] });
socket.on('connect', () => { status('connected (this origin is allowed)'); socket.emit('whoami', null, showWhoami); });
socket.on('connect_error', (error) => status('refused (' + error.message + ')'));
socket.on('disconnect', (reason) => status('closed (' + reason + ')'));
socket.on('said', showSaid);
document.getElementById('say').onsubmit = (e) => {
  e.preventDefault();
  const text = document.getElementById('text');
  socket.emit('say', text.value);
  text.value = '';
};
</script>`;
  }
  return `<script>
${shared}
const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '${WS_CHAT_PATH}');
socket.onopen = () => { status('connected (this origin is allowed)'); socket.send(JSON.stringify({ event: 'whoami', data: null })); };
socket.onclose = (e) => status('closed (' + e.code + ')');
socket.onmessage = (m) => {
  const { event, data } = JSON.parse(m.data);
  if (event === 'whoami') showWhoami(data);
  if (event === 'said') showSaid(data);
};
document.getElementById('say').onsubmit = (e) => {
  e.preventDefault();
  const text = document.getElementById('text');
  socket.send(JSON.stringify({ event: 'say', data: text.value }));
  text.value = '';
};
</script>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
