import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp, bootForSuite } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { freePort } from '../support/net.js';
import { bootTlsWsEchoApp, bootWsEchoApp } from './probe-apps.js';
import { startOriginDroppingProxy, type TcpProxy } from '../support/origin-dropping-proxy.js';
import { runBin, summaryLine, tableRows } from '../support/run-bin.js';

// `nestjs-origin-guard probe`, the real bin (dist/cli.js) in a child process, against real Nest
// apps on 127.0.0.1. Each app allows https://app.example.com (bootApp's default list).

const ALLOWED = 'https://app.example.com';
const SWITCHING = '101 Switching Protocols';
const FORBIDDEN = '403 Forbidden';

/** Every variant derived from https://app.example.com, in table order: label and SENT cell. */
const WS_VARIANTS: [label: string, sent: string][] = [
  ['allowed origin', 'Origin: https://app.example.com'],
  ['other site', 'Origin: https://attacker.example'],
  ['sibling subdomain', 'Origin: https://attacker.example.com'],
  ['parent domain', 'Origin: https://example.com'],
  ['suffix confusion', 'Origin: https://app.example.com.attacker.example'],
  ['prefix confusion', 'Origin: https://attackerapp.example.com'],
  ['same-ending domain', 'Origin: https://attackerexample.com'],
  ['scheme downgrade', 'Origin: http://app.example.com'],
  ['other port', 'Origin: https://app.example.com:8443'],
  ['userinfo before host', 'Origin: https://attacker.example@app.example.com'],
  ['host before userinfo', 'Origin: https://app.example.com@attacker.example'],
  ['upper case', 'Origin: HTTPS://APP.EXAMPLE.COM'],
  ['trailing dot', 'Origin: https://app.example.com.'],
  ['IDN lookalike', 'Origin: https://app.xn--xample-2of.com'],
  ['full-width letter', 'Origin: https://\\u{ff41}pp.example.com'],
  ['null origin', 'Origin: null'],
  ['duplicate Origin', 'Origin: https://app.example.com, Origin: https://attacker.example'],
  ['ws version 8', 'Sec-WebSocket-Version: 8, Sec-WebSocket-Origin: https://attacker.example'],
  ['missing Origin', 'no Origin'],
  ['Fetch Metadata cross-site', 'no Origin, Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: no-cors'],
  ['Fetch Metadata same-site', 'no Origin, Sec-Fetch-Site: same-site, Sec-Fetch-Mode: navigate'],
];

type Cells = [status: string, verdict: string];

/** Rows for a ws endpoint: `fallback` for every variant not named in `overrides`. */
function wsRows(fallback: Cells, overrides: Record<string, Cells>): string[][] {
  return WS_VARIANTS.map(([label, sent]) => [label, sent, ...(overrides[label] ?? fallback)]);
}

const ACCEPTED_HOSTILE: Cells = [SWITCHING, 'ACCEPTED: hostile'];
const REFUSED: Cells = [FORBIDDEN, 'refused'];
const CONTROL: Cells = [SWITCHING, 'accepted (expected)'];
const SAME_ORIGIN: Cells = [SWITCHING, 'accepted (same origin)'];
const NATIVE: Cells = [SWITCHING, 'allowed (native-client shape)'];
/** What every endpoint, guarded or not, should accept: the allowed origin and its equivalents. */
const ACCEPTED_EVERYWHERE: Record<string, Cells> = {
  'allowed origin': CONTROL,
  'upper case': SAME_ORIGIN,
  'missing Origin': NATIVE,
};

/** `nestjs-origin-guard probe ws://127.0.0.1:<port>/ws --allowed https://app.example.com …`. */
function probeWs(port: number, ...flags: string[]) {
  return runBin(['probe', `ws://127.0.0.1:${port}/ws`, '--allowed', ALLOWED, ...flags]);
}

async function wsApp(
  adapter: 'origin' | 'unprotected',
  allowMissingOrigin = true,
): Promise<BootedApp> {
  return bootWsEchoApp({ options: { allowedOrigins: [ALLOWED], allowMissingOrigin }, adapter });
}

describe("probe: a ws gateway behind Nest's plain WsAdapter (unguarded)", () => {
  const booted = bootForSuite(() => wsApp('unprotected'));

  it('exits 1 and lists every hostile variant as accepted', async () => {
    const run = await probeWs(booted.port);
    expect(run.code).toBe(1);
    expect(tableRows(run.stdout)).toEqual(wsRows(ACCEPTED_HOSTILE, ACCEPTED_EVERYWHERE));
    expect(run.stdout).toContain(
      'hint: No Origin value was refused: the endpoint does not check Origin, or something in front of it (a proxy, a CDN) drops the header.',
    );
    expect(summaryLine(run.stdout)).toBe(
      `VULNERABLE: 18 of 18 hostile requests were accepted by ws://127.0.0.1:${booted.port}/ws (21 requests sent).`,
    );
    expect(run.stdout).not.toContain('\u001b[');
  });
});

describe('probe: a ws gateway behind OriginWsAdapter (guarded)', () => {
  const booted = bootForSuite(() => wsApp('origin'));

  it('exits 0: every hostile variant refused with 403, the allowed origin accepted', async () => {
    const run = await probeWs(booted.port);
    expect(tableRows(run.stdout)).toEqual(wsRows(REFUSED, ACCEPTED_EVERYWHERE));
    expect(summaryLine(run.stdout)).toBe(
      `SAFE: all 18 hostile requests were refused and the allowed origin was accepted by ws://127.0.0.1:${booted.port}/ws (21 requests sent; native-client shape allowed: 1).`,
    );
    expect(run.code).toBe(0);
  });

  it('with --browser-only, counts the accepted missing-Origin shape as hostile: exit 1', async () => {
    const run = await probeWs(booted.port, '--browser-only');
    expect(run.code).toBe(1);
    expect(tableRows(run.stdout)).toContainEqual([
      'missing Origin',
      'no Origin',
      ...ACCEPTED_HOSTILE,
    ]);
    expect(summaryLine(run.stdout)).toMatch(/^VULNERABLE: 1 of 19 hostile requests were accepted/);
  });

  it('prints the report as JSON with --json', async () => {
    const run = await probeWs(booted.port, '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      url: `ws://127.0.0.1:${booted.port}/ws`,
      transport: 'ws',
      allowed: [ALLOWED],
      outcome: 'safe',
      exitCode: 0,
      requests: 21,
      accepted: [],
      hints: [],
    });
    expect(report.results).toContainEqual({
      variant: 'duplicate',
      label: 'duplicate Origin',
      kind: 'hostile',
      request: 'upgrade',
      headers: [
        ['Origin', ALLOWED],
        ['Origin', 'https://attacker.example'],
      ],
      sent: 'Origin: https://app.example.com, Origin: https://attacker.example',
      status: 403,
      statusText: FORBIDDEN,
      outcome: 'refused',
      verdict: 'refused',
      failure: false,
    });
  });
});

describe('probe: a guarded browser-only gateway (allowMissingOrigin: false)', () => {
  const booted = bootForSuite(() => wsApp('origin', false));

  it('exits 0 with --browser-only: the missing-Origin shape is refused too', async () => {
    const run = await probeWs(booted.port, '--browser-only');
    expect(tableRows(run.stdout)).toContainEqual(['missing Origin', 'no Origin', ...REFUSED]);
    expect(run.code).toBe(0);
  });
});

describe('probe: a guarded ws gateway behind a proxy that drops Origin', () => {
  let booted: BootedApp;
  let proxy: TcpProxy;
  beforeAll(async () => {
    booted = await wsApp('origin');
    proxy = await startOriginDroppingProxy(booted.port);
  });
  afterAll(async () => {
    await proxy.close();
    await booted.app.close();
  });

  it('shows every Origin-bearing variant getting through as a request without Origin: exit 1', async () => {
    const run = await probeWs(proxy.port);
    expect(run.code).toBe(1);
    // Only what does not ride on the Origin header is still refused.
    expect(tableRows(run.stdout)).toEqual(
      wsRows(ACCEPTED_HOSTILE, {
        ...ACCEPTED_EVERYWHERE,
        'ws version 8': REFUSED,
        'Fetch Metadata cross-site': REFUSED,
        'Fetch Metadata same-site': REFUSED,
      }),
    );
    expect(run.stdout).toContain('hint: No Origin value was refused');
  });

  it('with --browser-only, the missing-Origin row is a failure too', async () => {
    const run = await probeWs(proxy.port, '--browser-only');
    expect(run.code).toBe(1);
    expect(tableRows(run.stdout)).toContainEqual([
      'missing Origin',
      'no Origin',
      ...ACCEPTED_HOSTILE,
    ]);
  });
});

/** The engine.io requests each variant is sent as (variants not named: polling and upgrade). */
const IO_REQUESTS: Record<string, string[]> = {
  'other site': ['polling', 'upgrade', 'poll+sid', 'upgrade+sid'],
  'ws version 8': ['upgrade'],
  'Fetch Metadata cross-site': ['polling', 'upgrade', 'poll+sid'],
};
const IO_VARIANTS: [label: string, request: string, sent: string][] = [
  ...WS_VARIANTS,
  ['JSONP polling', 'j=0, no Origin'] as [string, string],
].flatMap(([label, sent]) =>
  (IO_REQUESTS[label] ?? (label === 'JSONP polling' ? ['polling'] : ['polling', 'upgrade'])).map(
    (request): [string, string, string] => [label, request, sent],
  ),
);

/** STATUS and VERDICT of an engine.io request that was accepted, by request kind. */
function ioAccepted(request: string, verdict: string, timeoutMs: number): Cells {
  if (request === 'polling') return ['200 OK', verdict];
  if (request === 'poll+sid') return [`held open ${timeoutMs} ms`, verdict];
  return [SWITCHING, verdict];
}

function ioRows(hostileAccepted: boolean, timeoutMs: number): string[][] {
  const informational: Record<string, string> = {
    'allowed origin': 'accepted (expected)',
    'upper case': 'accepted (same origin)',
    'missing Origin': 'allowed (native-client shape)',
  };
  return IO_VARIANTS.map(([label, request, sent]) => {
    const verdict = informational[label];
    const cells: Cells =
      verdict !== undefined
        ? ioAccepted(request, verdict, timeoutMs)
        : hostileAccepted
          ? ioAccepted(request, 'ACCEPTED: hostile', timeoutMs)
          : REFUSED;
    return [label, request, sent, ...cells];
  });
}

describe.each([
  { adapter: 'unprotected' as const, name: "Nest's plain IoAdapter (unguarded)", exitCode: 1 },
  { adapter: 'origin' as const, name: 'OriginIoAdapter (guarded)', exitCode: 0 },
])('probe --socket.io: a Socket.IO gateway behind $name', ({ adapter, exitCode }) => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootApp({
      transport: 'socket.io',
      gateways: [echoGateway(probe)],
      adapter,
    }),
  );

  // 1 s: how long a poll with a session id is held before it counts as accepted.
  it(`exits ${exitCode}, with a row for each engine.io request`, async () => {
    const url = `http://127.0.0.1:${booted.port}`;
    const run = await runBin([
      'probe',
      url,
      '--socket.io',
      '--allowed',
      ALLOWED,
      '--timeout',
      '1000',
    ]);
    expect(tableRows(run.stdout)).toEqual(ioRows(adapter === 'unprotected', 1000));
    expect(summaryLine(run.stdout)).toBe(
      adapter === 'unprotected'
        ? `VULNERABLE: 39 of 39 hostile requests were accepted by ${url}/socket.io/ (48 requests sent).`
        : `SAFE: all 39 hostile requests were refused and the allowed origin was accepted by ${url}/socket.io/ (48 requests sent; native-client shape allowed: 2).`,
    );
    expect(run.code).toBe(exitCode);
    // Nothing beyond handshakes and upgrades was sent: no CONNECT packet, so no gateway connection.
    expect(probe.connections).toBe(0);
    expect(probe.messages).toBe(0);
  });
});

describe('probe: TLS with a self-signed certificate', () => {
  const booted = bootForSuite(() => bootTlsWsEchoApp());

  it('probes wss:// with --insecure: exit 0', async () => {
    const url = `wss://127.0.0.1:${booted.port}/ws`;
    const run = await runBin(['probe', url, '--allowed', ALLOWED, '--insecure']);
    expect(tableRows(run.stdout)[0]).toEqual(['allowed origin', `Origin: ${ALLOWED}`, ...CONTROL]);
    expect(summaryLine(run.stdout)).toMatch(
      /^SAFE: all 18 hostile requests were refused .* by wss:\/\//,
    );
    expect(run.code).toBe(0);
  });

  it('without --insecure, the certificate is checked and the endpoint cannot be probed: exit 2', async () => {
    const url = `wss://127.0.0.1:${booted.port}/ws`;
    const run = await runBin(['probe', url, '--allowed', ALLOWED]);
    expect(run.code).toBe(2);
    expect(summaryLine(run.stdout)).toBe(
      `NOT PROBED: no connection: self-signed certificate (--insecure accepts it, for a test server) (${url}, 1 request sent).`,
    );
  });
});

describe('probe: an endpoint that cannot be probed', () => {
  it('exits 2 on a closed port, after one request', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/ws`;
    const run = await runBin(['probe', url, '--allowed', ALLOWED]);
    expect(run.code).toBe(2);
    expect(tableRows(run.stdout)).toEqual([
      [
        'allowed origin',
        `Origin: ${ALLOWED}`,
        `no connection: connect ECONNREFUSED 127.0.0.1:${port}`,
        'not probed',
      ],
    ]);
    expect(summaryLine(run.stdout)).toBe(
      `NOT PROBED: no connection: connect ECONNREFUSED 127.0.0.1:${port} (${url}, 1 request sent).`,
    );
  });

  it('exits 2 when the allowed origin is refused, and sends nothing else', async () => {
    const booted = await wsApp('origin');
    try {
      const url = `ws://127.0.0.1:${booted.port}/ws`;
      const run = await runBin(['probe', url, '--allowed', 'https://not-listed.example']);
      expect(run.code).toBe(2);
      expect(summaryLine(run.stdout)).toBe(
        `NOT PROBED: the allowed origin https://not-listed.example was not accepted (upgrade: 403 Forbidden), so refusals would prove nothing (${url}, 1 request sent).`,
      );
    } finally {
      await booted.app.close();
    }
  });

  it.each([
    [['probe', 'ws://127.0.0.1:1/ws'], /Say which origin is allowed \(--allowed/],
    [['probe', 'ws://127.0.0.1:1/ws', '--allowed', 'app.example.com'], /has no scheme/],
    [['probe', 'ws://127.0.0.1:1/ws', '--allowed', 'https://*.example.com'], /exact origins/],
    [['probe', 'ftp://x/', '--allowed', ALLOWED], /use ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    [
      ['probe', 'ws://127.0.0.1:1/ws', '--allowed', ALLOWED, '--timeout', 'soon'],
      /--timeout takes a whole number/,
    ],
    [['probe', 'ws://127.0.0.1:1/ws', '--allowed', ALLOWED, '--bogus'], /Unknown option '--bogus'/],
    [['scan', 'ws://127.0.0.1:1/ws'], /Unknown command "scan"/],
  ])('exits 2 on bad arguments: %j', async (args, message) => {
    const run = await runBin(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('--help states the request bound and the exit codes', async () => {
    const run = await runBin(['probe', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('at most 200 requests per run');
    expect(run.stdout).toContain('Exit status: 0 every hostile variant was refused');
  });
});
