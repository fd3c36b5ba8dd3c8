export function chatPage(user: string | undefined): string {
  const body =
    user === undefined
      ? `<form action="/login"><label>Your name <input name="name" value="alice"></label> <button>Log in</button></form>
<p>Logging in sets a session cookie. The chat's socket trusts that cookie.</p>`
      : `<p>Logged in as <b>${escapeHtml(user)}</b>. Status: <span id="status">connecting…</span></p>
<div id="log"></div>
<form id="say"><input id="text" autocomplete="off" placeholder="Say something"> <button>Send</button></form>
<script>
const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat');
const log = document.getElementById('log');
const line = (text) => { const p = document.createElement('p'); p.textContent = text; log.append(p); };
socket.onopen = () => { document.getElementById('status').textContent = 'connected (this origin is allowed)'; socket.send(JSON.stringify({ event: 'whoami', data: null })); };
socket.onclose = (e) => { document.getElementById('status').textContent = 'closed (' + e.code + ')'; };
socket.onmessage = (m) => {
  const { event, data } = JSON.parse(m.data);
  if (event === 'whoami') line('Server: you are ' + data.user + ' (' + data.secret + ')');
  if (event === 'said') line(data.user + ': ' + data.text);
};
document.getElementById('say').onsubmit = (e) => {
  e.preventDefault();
  const text = document.getElementById('text');
  socket.send(JSON.stringify({ event: 'say', data: text.value }));
  text.value = '';
};
</script>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Origin-guarded chat</title>
<style>body{font:16px system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}#log{min-height:6rem;border:1px solid #ccc;padding:.5rem;margin:.5rem 0}</style>
</head>
<body>
<h1>Chat (protected by nestjs-origin-guard)</h1>
${body}
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
