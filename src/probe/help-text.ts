import { DEFAULT_TIMEOUT_MS } from './probe-options.js';
import { MAX_PROBE_REQUESTS } from './request-plan.js';

export const HELP_TEXT = `Usage: nestjs-origin-guard probe <url> --allowed <origin> [options]

Sends hostile variants of the allowed origin(s) to a live WebSocket or Socket.IO endpoint as
real handshakes (other site, sibling subdomain, suffix/prefix confusion, scheme downgrade,
other port, userinfo, null, duplicate Origin, Sec-WebSocket-Version 8, trailing dot, IDN
lookalikes, no Origin with cross-site Fetch Metadata, JSONP polling …) and reports which
got through. The allowed origin itself must be accepted, or nothing is concluded.

  <url>                 ws://, wss://, http:// or https://. For Socket.IO, its path is the
                        engine.io path (default /socket.io/).

Options:
  --allowed <origin>    An exact origin of your pages, e.g. https://app.example.com.
                        Repeat it (or separate with commas) for several. Required.
  --socket.io           The endpoint is Socket.IO: send engine.io requests (polling
                        handshake, polls and upgrades with a session id, WebSocket upgrade).
  --path <path>         The gateway path (ws) or engine.io path (Socket.IO); overrides the URL's.
  --cookie <cookie>     Send this Cookie header with every request, like a logged-in browser.
  --browser-only        A request without Origin must be refused too (allowMissingOrigin:
                        false). Without it, that shape is reported as a native client's.
  --json                Print the report as JSON instead of the table.
  --insecure            Accept any TLS certificate (self-signed test servers).
  --timeout <ms>        Per request (connect, answer, close). Default ${DEFAULT_TIMEOUT_MS}.
                        A session-id poll still held open after it counts as accepted.
  --concurrency <n>     Connections at once, 1 to 8. Default 1.
  --no-color            No colours (they are only used on a terminal, never with NO_COLOR).
  -h, --help            This text.

Safe by construction: it connects only to the host and port of <url>, one connection at a
time by default, at most ${MAX_PROBE_REQUESTS} requests per run (one allowed origin: up to 21 for
ws, 48 for Socket.IO), each on its own connection with a timeout. After an accepted WebSocket
handshake it sends only a close frame; to Socket.IO nothing beyond the handshake and upgrade
requests. Redirects are not followed.

Exit status: 0 every hostile variant was refused and the allowed origin accepted;
             1 at least one hostile variant was accepted;
             2 the endpoint could not be probed (no connection, the allowed origin not
               accepted, no answer, bad arguments).
`;
