import { attackScript } from './attack-script.js';

export function attackerPage(targetSocketUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Totally harmless page</title>
<style>body{font:16px system-ui;max-width:44rem;margin:2rem auto;padding:0 1rem}#result{padding:1rem;border-radius:.5rem;background:#eee}.stolen{background:#fdd!important}.refused{background:#dfd!important}</style>
</head>
<body>
<h1>A page on another origin</h1>
<p>This page's origin is <code id="origin"></code>. It tries to open <code>${targetSocketUrl}</code>,
the chat's socket. Your browser attaches your chat session cookie by itself, because this page
is on the same site (another port of the same host).</p>
<div id="result">Attacking…</div>
<p><button id="again">Try again</button></p>
<script>
${attackScript(targetSocketUrl)}
document.getElementById('origin').textContent = location.origin;
const result = document.getElementById('result');
let reported = false;
function show(outcome) {
  if (reported) return;
  reported = true;
  window.attackOutcome = outcome;
  if (outcome.stolen) {
    result.className = 'stolen';
    result.textContent = 'HIJACKED: the socket opened with your session and answered: ' + JSON.stringify(outcome.stolen);
  } else if (outcome.refused) {
    result.className = 'refused';
    result.textContent = 'Refused: the handshake was rejected before the socket opened (close code ' + outcome.closeCode + '). The server log says why.';
  } else {
    result.textContent = 'The socket opened but closed before answering (' + outcome.closeCode + ' ' + outcome.reason + '). Log in on the chat page first.';
  }
}
function run() { reported = false; result.className = ''; result.textContent = 'Attacking…'; attack(show); }
document.getElementById('again').onclick = run;
run();
</script>
</body>
</html>`;
}
