import { Injectable, Module, type Provider } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { OriginGuardModule, parseOriginList } from '../../src/index.js';
import { type BootedApp, bootApp } from '../support/boot.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { expectOpened, openWs } from '../support/net.js';

/** Compiles a module like bootstrap does, and returns the error it fails with. */
async function bootstrapError(imports: unknown[], providers: Function[] = []): Promise<string> {
  const compiling = Test.createTestingModule({
    imports: imports as never[],
    providers: providers as Provider[],
  })
    .setLogger(new CaptureLogger())
    .compile();
  const error = await compiling.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

const opened: BootedApp[] = [];
async function boot(...args: Parameters<typeof bootApp>): Promise<BootedApp> {
  const booted = await bootApp(...args);
  opened.push(booted);
  return booted;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

describe('OriginGuardModule: bad configuration fails at bootstrap', () => {
  it('lists every malformed entry with its value and fix', async () => {
    const message = await bootstrapError([
      OriginGuardModule.forRoot({
        allowedOrigins: [
          'example.com',
          'https://example.com/path',
          'https://*example.com',
          'http://*.com',
          'https://a.com:70000',
        ],
      }),
    ]);
    expect(message).toBe(
      [
        'OriginGuardModule: invalid origin policy (5 problems):',
        `  - allowedOrigins[0] = "example.com": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://example.com'.`,
        `  - allowedOrigins[1] = "https://example.com/path": has a path. Fix: an origin has no path: write 'https://example.com'.`,
        `  - allowedOrigins[2] = "https://*example.com": has a "*" that does not stand for whole leading DNS labels. Fix: write the subdomain wildcard as 'https://*.example.com' (list the domain itself separately).`,
        `  - allowedOrigins[3] = "http://*.com": would match every subdomain of the top-level domain "com". Fix: narrow it to a domain you control: anyone can register a name under a top-level domain.`,
        `  - allowedOrigins[4] = "https://a.com:70000": has port "70000", which is not a number from 1 to 65535 without leading zeros. Fix: use a port from 1 to 65535, or none for the default port: 'https://a.com'.`,
      ].join('\n'),
    );
  });

  it('refuses a bare string, non-string junk, a missing list and unknown options', async () => {
    expect(
      await bootstrapError([
        OriginGuardModule.forRoot({ allowedOrigins: 'https://a.com' as never }),
      ]),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (1 problem):',
        `  - allowedOrigins = "https://a.com": is not an array. Fix: wrap it in an array: ['https://a.com'].`,
      ].join('\n'),
    );
    expect(
      await bootstrapError([
        OriginGuardModule.forRoot({ allowedOrigins: [42, { url: 'x' }] as never }),
      ]),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (2 problems):',
        `  - allowedOrigins[0] = 42: is a number, not a string, RegExp or function. Fix: write each origin as a string (scheme://host[:port]), an anchored RegExp or a function.`,
        `  - allowedOrigins[1] = {"url":"x"}: is an object, not a string, RegExp or function. Fix: write each origin as a string (scheme://host[:port]), an anchored RegExp or a function.`,
      ].join('\n'),
    );
    expect(
      await bootstrapError([
        OriginGuardModule.forRoot({
          allowedOrigin: ['https://a.com'],
          allowMissingOrigin: 'yes',
          onDecision: 'log',
        } as never),
      ]),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (4 problems):',
        `  - allowedOrigin = ["https://a.com"]: is not an option of OriginGuardModule. Fix: did you mean "allowedOrigins"?`,
        `  - allowedOrigins = undefined: is required. Fix: list the origins of your web pages, e.g. allowedOrigins: ['https://app.example.com'].`,
        `  - allowMissingOrigin = "yes": is not a boolean. Fix: use true (accept clients that send no Origin) or false (refuse them).`,
        `  - onDecision = "log": is not a function. Fix: pass (event) => { ... }, called once per decision.`,
      ].join('\n'),
    );
  });

  it('names the gateway and handler of a bad @AllowedOrigins', async () => {
    const probe = new GatewayProbe();
    const gateway = echoGateway(probe, {
      name: 'AdminGateway',
      options: { path: '/admin' },
      allowedOrigins: ['admin.example.com'],
      adminOrigins: ['https://admin.example.com/admin'],
    });
    expect(
      await bootstrapError([OriginGuardModule.forRoot({ allowedOrigins: [] })], [gateway]),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (2 problems):',
        `  - @AllowedOrigins() on AdminGateway[0] = "admin.example.com": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://admin.example.com'.`,
        `  - @AllowedOrigins() on AdminGateway.admin()[0] = "https://admin.example.com/admin": has a path. Fix: an origin has no path: write 'https://admin.example.com'.`,
      ].join('\n'),
    );
  });

  it('refuses two gateways on one path with different policies', async () => {
    const probe = new GatewayProbe();
    const chat = echoGateway(probe, { name: 'ChatGateway', options: { path: '/ws' } });
    const admin = echoGateway(probe, {
      name: 'AdminGateway',
      options: { path: 'ws/' },
      allowedOrigins: ['https://admin.example.com'],
    });
    expect(
      await bootstrapError(
        [OriginGuardModule.forRoot({ allowedOrigins: ['https://app.example.com'] })],
        [chat, admin],
      ),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (1 problem):',
        `  - ChatGateway and AdminGateway = the app's HTTP server, path "/ws": share one socket server but declare different @AllowedOrigins, and one server cannot enforce two handshake policies. Fix: give them the same @AllowedOrigins, or put them on different paths.`,
      ].join('\n'),
    );
  });

  it('fails with a clear message when the adapter is used without the module', async () => {
    @WebSocketGateway({ path: '/ws' })
    class UnguardedGateway {}
    const moduleRef = await Test.createTestingModule({ providers: [UnguardedGateway] })
      .setLogger(new CaptureLogger())
      .compile();
    const app = moduleRef.createNestApplication({ logger: new CaptureLogger() });
    const { OriginWsAdapter } = await import('../../src/ws/index.js');
    app.useWebSocketAdapter(new OriginWsAdapter(app));
    await expect(app.init()).rejects.toThrow(
      'OriginWsAdapter found no origin policy. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }) in your application module, and construct the adapter with the application: new OriginWsAdapter(app).',
    );
    await app.close();
  });
});

describe('OriginGuardModule: policy sources', () => {
  it("takes origins from the environment through @nestjs/config, as the README's recipe does", async () => {
    // What people put in .env files and deployment manifests: spaces, a pasted URL's slash,
    // a trailing comma, one origin per line.
    const saved = process.env.WS_ORIGINS;
    process.env.WS_ORIGINS =
      'https://one.example, https://two.example/,\n  https://three.example,\n';
    try {
      const probe = new GatewayProbe();
      const booted = await boot({
        gateways: [echoGateway(probe, { options: { path: '/ws' } })],
        originModule: OriginGuardModule.forRootAsync({
          imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            allowedOrigins: parseOriginList(config.getOrThrow<string>('WS_ORIGINS')),
          }),
        }),
      });
      const url = `ws://127.0.0.1:${booted.port}/ws`;
      for (const origin of [
        'https://one.example',
        'https://two.example',
        'https://three.example',
      ]) {
        expectOpened(await openWs(url, origin)).close();
      }
      expect(await openWs(url, 'https://app.example.com')).toEqual({
        opened: false,
        statusCode: 403,
      });
    } finally {
      if (saved === undefined) delete process.env.WS_ORIGINS;
      else process.env.WS_ORIGINS = saved;
    }
  });

  it('validates what an async factory returns, with the same error', async () => {
    @Injectable()
    class OriginsSource {
      load() {
        return Promise.resolve(['https://ok.example', 'ok.example']);
      }
    }
    @Module({ providers: [OriginsSource], exports: [OriginsSource] })
    class OriginsSourceModule {}
    const message = await bootstrapError([
      OriginGuardModule.forRootAsync({
        imports: [OriginsSourceModule],
        inject: [OriginsSource],
        useFactory: async (source: OriginsSource) => ({ allowedOrigins: await source.load() }),
      }),
    ]);
    expect(message).toBe(
      [
        'OriginGuardModule: invalid origin policy (1 problem):',
        `  - allowedOrigins[1] = "ok.example": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://ok.example'.`,
      ].join('\n'),
    );
  });

  it('gives each gateway path its own @AllowedOrigins, replacing the module default there', async () => {
    const chatProbe = new GatewayProbe();
    const adminProbe = new GatewayProbe();
    const booted = await boot({
      gateways: [
        echoGateway(chatProbe, { name: 'ChatGateway', options: { path: '/chat' } }),
        echoGateway(adminProbe, {
          name: 'AdminGateway',
          options: { path: '/admin' },
          allowedOrigins: ['https://admin.example.com'],
        }),
      ],
    });
    const at = (path: string, origin: string) =>
      openWs(`ws://127.0.0.1:${booted.port}${path}`, origin);
    const results = {
      appOnChat: await at('/chat', 'https://app.example.com'),
      adminOnChat: await at('/chat', 'https://admin.example.com'),
      appOnAdmin: await at('/admin', 'https://app.example.com'),
      adminOnAdmin: await at('/admin', 'https://admin.example.com'),
    };
    expect(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.opened]))).toEqual({
      appOnChat: true,
      adminOnChat: false,
      appOnAdmin: false,
      adminOnAdmin: true,
    });
    for (const result of Object.values(results)) if (result.opened) result.socket.close();
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="https://app.example.com" path="/admin" gateway=AdminGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://app.example.com' to the allowed origins.`,
    );
    expect({ chat: chatProbe.connections, admin: adminProbe.connections }).toEqual({
      chat: 1,
      admin: 1,
    });
  });

  it('lets gateways share a path when their lists decide alike', async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      options: { allowedOrigins: ['https://app.example.com'] },
      gateways: [
        echoGateway(probe, { name: 'FirstGateway', options: { path: '/ws' } }),
        echoGateway(probe, {
          name: 'SecondGateway',
          options: { path: '/ws' },
          allowedOrigins: ['HTTPS://APP.example.com:443'],
        }),
      ],
    });
    expect(await openWs(`ws://127.0.0.1:${booted.port}/ws`, 'https://evil.example')).toEqual({
      opened: false,
      statusCode: 403,
    });
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/ws" gateway=FirstGateway, SecondGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
  });

  it("warns at startup when '*' turns the check off, or an empty list refuses every browser", async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      options: { allowedOrigins: ['*'] },
      gateways: [
        echoGateway(probe, { name: 'OpenGateway', options: { path: '/open' } }),
        echoGateway(probe, {
          name: 'ClosedGateway',
          options: { path: '/closed' },
          allowedOrigins: [],
        }),
      ],
    });
    expect(booted.logger.warnings()).toEqual([
      `allowedOrigins contains '*': pages on every site may open WebSockets here, so Cross-Site WebSocket Hijacking is not prevented. List your origins instead.`,
      `@AllowedOrigins() of ClosedGateway (the app's HTTP server, path "/closed") is empty: every browser handshake will be refused with 403.`,
    ]);
    const open = await openWs(`ws://127.0.0.1:${booted.port}/open`, 'https://anything.example');
    expect(open.opened).toBe(true);
    if (open.opened) open.socket.close();
  });
});
