import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type OriginDecisionEvent, OriginPolicy, protectUpgrades } from '../../src/index.js';
import { type BootedApp, bootApp, type BootSpec, type HttpPlatform } from '../support/boot.js';
import { closeAfterEach } from '../support/close-after-each.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { FORBIDDEN_UPGRADE, notAllowedLine } from '../support/expected.js';
import {
  GraphqlProbe,
  graphqlSubscriptions,
  subscribeTicks,
  TICKS,
} from '../support/graphql-app.js';
import { expectOpened, openWs, rawHandshake, roundTrip } from '../support/net.js';

/**
 * Issue #12, GraphQL: `@nestjs/graphql` with the Apollo driver serves subscriptions
 * (`graphql-ws`) from its own `'upgrade'` listener on the app's HTTP server, which no gateway
 * adapter sees. Importing `OriginGuardModule` is enough: the app-wide upgrade gate decides
 * those handshakes with `allowedOrigins` (or `upgrades['/graphql']`) before graphql-ws runs,
 * so a refused origin never reaches `onConnect` or a resolver.
 *
 * Every case runs on Express and on Fastify, with the real `graphql-ws` client over `ws`.
 */

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';
const GQL = 'https://gql.example';
const SWITCHING = 'HTTP/1.1 101 Switching Protocols';
/** What a graphql-ws client sends in its handshake. */
const GQL_PROTOCOL = ['Sec-WebSocket-Protocol', 'graphql-transport-ws'] as const;
/** What the client sees when the server answers its handshake with 403. */
const REFUSED_IN_CLIENT = {
  received: [],
  error: 'Unexpected server response: 403',
  closeCode: 1006,
};
/** What the client sees when a listener destroys its upgrade without an answer. */
const HUNG_UP_IN_CLIENT = { received: [], error: 'socket hang up', closeCode: 1006 };

const closeLater = closeAfterEach();

interface GraphqlApp extends BootedApp {
  readonly graphql: GraphqlProbe;
  readonly gateway: GatewayProbe;
  readonly events: OriginDecisionEvent[];
  refusals(): string[];
}

/**
 * Boots an app with GraphQL subscriptions on `/graphql` and, unless `withGateway` is false, an
 * echo gateway on `/ws` on the same HTTP server.
 */
async function bootGraphql(
  platform: HttpPlatform,
  spec: Partial<Pick<BootSpec, 'options' | 'adapter'>> & { withGateway?: boolean } = {},
): Promise<GraphqlApp> {
  const graphql = new GraphqlProbe();
  const gateway = new GatewayProbe();
  const events: OriginDecisionEvent[] = [];
  const { imports, providers } = graphqlSubscriptions(graphql);
  const options = spec.options ?? { allowedOrigins: [ALLOWED] };
  const booted = await bootApp({
    platform,
    adapter: spec.adapter,
    options: { ...options, onDecision: (event) => void events.push(event) },
    gateways:
      spec.withGateway === false ? [] : [echoGateway(gateway, { options: { path: '/ws' } })],
    imports,
    providers,
  });
  closeLater(() => booted.app.close());
  return {
    ...booted,
    graphql,
    gateway,
    events,
    refusals: () =>
      booted.logger.warnings().filter((line) => line.startsWith('Refused WebSocket handshake')),
  };
}

/** A raw graphql-ws handshake (`Sec-WebSocket-Protocol: graphql-transport-ws`) from `origin`. */
function gqlHandshake(port: number, origin: string, path = '/graphql') {
  return rawHandshake(port, path, [GQL_PROTOCOL, ['Origin', origin]]);
}

/** Opens the echo gateway on `/ws` from `origin` and round-trips one message. */
async function echoFrom(port: number, origin: string) {
  const socket = expectOpened(await openWs(`ws://127.0.0.1:${port}/ws`, origin));
  closeLater(async () => socket.terminate());
  return roundTrip(socket, 'echo', 'ping');
}

describe.each<HttpPlatform>(['express', 'fastify'])(
  'GraphQL subscriptions (@nestjs/graphql, Apollo driver, graphql-ws) on %s',
  (platform) => {
    describe('importing OriginGuardModule is enough: /graphql is checked with allowedOrigins', () => {
      it('a subscription from the allowed origin receives every event', async () => {
        const app = await bootGraphql(platform, { withGateway: false });

        expect(await subscribeTicks(app.port, ALLOWED)).toEqual({ received: TICKS });

        expect(app.graphql).toEqual({ connects: 1, subscriptions: 1 });
        expect(app.refusals()).toEqual([]);
        expect(app.events).toMatchObject([
          // `*`: decided by allowedOrigins, as every path no gateway or `upgrades` entry names.
          { stage: 'handshake', verdict: 'allowed', origin: ALLOWED, path: '*' },
        ]);
        expect(app.events[0]!.gateway).toBeUndefined();
      });

      it('another origin gets 403 before onConnect or any resolver runs, and one refusal line (gateway=(none))', async () => {
        const app = await bootGraphql(platform, { withGateway: false });

        expect(await subscribeTicks(app.port, EVIL)).toEqual(REFUSED_IN_CLIENT);
        const raw = await gqlHandshake(app.port, EVIL);

        expect(raw.raw).toBe(FORBIDDEN_UPGRADE);
        expect(raw.closedByServer).toBe(true);
        expect(app.graphql).toEqual({ connects: 0, subscriptions: 0 });
        // Two refusals, one line (an identical line is written once per window), exactly:
        expect(app.refusals()).toEqual([notAllowedLine(EVIL, '*', '(none)')]);
        expect(app.events.map((e) => [e.verdict, e.reason, e.path])).toEqual([
          ['refused', 'not_allowed', '*'],
          ['refused', 'not_allowed', '*'],
        ]);

        // The app still serves the allowed origin afterwards.
        expect(await subscribeTicks(app.port, ALLOWED)).toEqual({ received: TICKS });
        expect(app.graphql).toEqual({ connects: 1, subscriptions: 1 });
      });

      it('a query string does not move /graphql to another policy', async () => {
        const app = await bootGraphql(platform, { withGateway: false });

        expect((await gqlHandshake(app.port, EVIL, '/graphql?token=1')).raw).toBe(
          FORBIDDEN_UPGRADE,
        );
        expect((await gqlHandshake(app.port, ALLOWED, '/graphql?token=1')).statusLine).toBe(
          SWITCHING,
        );
        expect(app.refusals()).toEqual([notAllowedLine(EVIL, '*', '(none)')]);
      });
    });

    describe('next to a @nestjs/platform-ws gateway on the same HTTP server', () => {
      it('OriginWsAdapter: both work from the allowed origin', async () => {
        const app = await bootGraphql(platform);

        expect(await subscribeTicks(app.port, ALLOWED)).toEqual({ received: TICKS });
        expect(await echoFrom(app.port, ALLOWED)).toEqual({
          reply: { event: 'echo', data: 'ping' },
        });

        expect(app.graphql).toEqual({ connects: 1, subscriptions: 1 });
        expect(app.gateway).toMatchObject({ connections: 1, messages: 1 });
        expect(app.refusals()).toEqual([]);
      });

      it('OriginWsAdapter: both refuse another origin with 403, each decided once, no code runs', async () => {
        const app = await bootGraphql(platform);

        expect(await subscribeTicks(app.port, EVIL)).toEqual(REFUSED_IN_CLIENT);
        expect((await gqlHandshake(app.port, EVIL)).raw).toBe(FORBIDDEN_UPGRADE);
        expect(await openWs(`ws://127.0.0.1:${app.port}/ws`, EVIL)).toEqual({
          opened: false,
          statusCode: 403,
        });
        expect((await rawHandshake(app.port, '/ws', [['Origin', EVIL]])).raw).toBe(
          FORBIDDEN_UPGRADE,
        );

        expect(app.graphql).toEqual({ connects: 0, subscriptions: 0 });
        expect(app.gateway).toMatchObject({ connections: 0, messages: 0 });
        // The gateway's path is decided by its adapter (named), GraphQL's by the gate (as `*`,
        // the path of allowedOrigins: no `upgrades` entry names it).
        expect(app.refusals()).toEqual([
          notAllowedLine(EVIL, '*', '(none)'),
          notAllowedLine(EVIL, '/ws', 'EchoGateway'),
        ]);
        expect(app.events.map((e) => [e.verdict, e.path, e.gateway])).toEqual([
          ['refused', '*', undefined],
          ['refused', '*', undefined],
          ['refused', '/ws', 'EchoGateway'],
          ['refused', '/ws', 'EchoGateway'],
        ]);
      });

      it("control, plain Nest (WsAdapter, no module): WsAdapter's listener destroys the GraphQL upgrade, from every origin", async () => {
        const app = await bootGraphql(platform, { adapter: 'unprotected' });

        // Nest's WsAdapter destroys every upgrade for a path none of its gateways serve, so
        // GraphQL subscriptions break as soon as a ws gateway shares the HTTP server.
        expect(await subscribeTicks(app.port, ALLOWED)).toEqual(HUNG_UP_IN_CLIENT);
        expect(await subscribeTicks(app.port, EVIL)).toEqual(HUNG_UP_IN_CLIENT);
        expect(await gqlHandshake(app.port, ALLOWED)).toMatchObject({
          raw: '',
          closedByServer: true,
        });
        expect(app.graphql).toEqual({ connects: 0, subscriptions: 0 });
        // ...while the gateway itself accepts every origin: the hijacking this library stops.
        expect(await echoFrom(app.port, EVIL)).toEqual({ reply: { event: 'echo', data: 'ping' } });
        expect(app.refusals()).toEqual([]);
        expect(app.events).toEqual([]);
      });

      it('control, WsAdapter next to the module (allowUncheckedGateways): the gate refuses another origin with 403, but WsAdapter still destroys the allowed GraphQL upgrade', async () => {
        const app = await bootGraphql(platform, { adapter: 'plain' });

        expect(await subscribeTicks(app.port, EVIL)).toEqual(REFUSED_IN_CLIENT);
        expect((await gqlHandshake(app.port, EVIL)).raw).toBe(FORBIDDEN_UPGRADE);
        // Accepted by the gate, then destroyed by WsAdapter's listener: use OriginWsAdapter.
        expect(await subscribeTicks(app.port, ALLOWED)).toEqual(HUNG_UP_IN_CLIENT);
        expect(app.graphql).toEqual({ connects: 0, subscriptions: 0 });
        expect(app.refusals()).toEqual([notAllowedLine(EVIL, '*', '(none)')]);
        expect(app.logger.warnings()).toContainEqual(
          expect.stringContaining('unchecked gateways (allowUncheckedGateways: true)'),
        );
      });
    });

    describe("upgrades: { '/graphql': [...] } gives GraphQL its own list", () => {
      const options = { allowedOrigins: [ALLOWED], upgrades: { '/graphql': [GQL] } };

      it("accepts the GraphQL origin on /graphql, where it refuses the module's origin", async () => {
        const app = await bootGraphql(platform, { options });

        expect(await subscribeTicks(app.port, GQL)).toEqual({ received: TICKS });
        expect(await subscribeTicks(app.port, ALLOWED)).toEqual(REFUSED_IN_CLIENT);
        expect((await gqlHandshake(app.port, ALLOWED)).raw).toBe(FORBIDDEN_UPGRADE);
        expect((await gqlHandshake(app.port, ALLOWED, '/graphql?x=1')).raw).toBe(FORBIDDEN_UPGRADE);

        expect(app.graphql).toEqual({ connects: 1, subscriptions: 1 });
        expect(app.refusals()).toEqual([notAllowedLine(ALLOWED, '/graphql', '(none)')]);
        expect(app.logger.lines.map((line) => line.message)).toContain(
          `upgrades["/graphql"]: WebSocket on port ${app.port} (the app's HTTP server), path "/graphql", enforced by the app-wide upgrade gate: ` +
            `mode=enforce, missing Origin allowed, null refused, 1 entry: '${GQL}' (exact)`,
        );
      });

      it('the gateway keeps allowedOrigins: the GraphQL origin is refused on /ws, the module origin accepted', async () => {
        const app = await bootGraphql(platform, { options });

        expect((await rawHandshake(app.port, '/ws', [['Origin', GQL]])).raw).toBe(
          FORBIDDEN_UPGRADE,
        );
        expect(await echoFrom(app.port, ALLOWED)).toEqual({
          reply: { event: 'echo', data: 'ping' },
        });

        expect(app.gateway).toMatchObject({ connections: 1, messages: 1 });
        expect(app.refusals()).toEqual([notAllowedLine(GQL, '/ws', 'EchoGateway')]);
      });
    });
  },
);

describe('outside Nest: protectUpgrades() in front of graphql-ws useServer()', () => {
  it('refuses another origin with 403 before onConnect, and serves the allowed one', async () => {
    const { policy, problems } = OriginPolicy.compile([ALLOWED], {}, 'origins');
    expect(problems).toEqual([]);
    const warnings: string[] = [];
    const server = createServer();
    protectUpgrades(server, { policy, logger: { warn: (line) => warnings.push(line) } });
    let connects = 0;
    // The `graphql` graphql-ws loads (Node resolves it to the CommonJS build, where Vite's
    // resolution of an import here would pick `index.mjs`: another realm, which graphql rejects).
    const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
    const schema = buildSchema('type Query { hello: String } type Subscription { ticks: String }');
    const disposable = useServer(
      {
        schema,
        roots: {
          subscription: {
            ticks: async function* () {
              for (const tick of TICKS) yield { ticks: tick };
            },
          },
        },
        onConnect: () => {
          connects++;
          return true;
        },
      },
      new WebSocketServer({ server, path: '/graphql' }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closeLater(async () => {
      await disposable.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;

    expect(await subscribeTicks(port, EVIL)).toEqual(REFUSED_IN_CLIENT);
    expect((await gqlHandshake(port, EVIL)).raw).toBe(FORBIDDEN_UPGRADE);
    expect(connects).toBe(0);
    expect(warnings).toEqual([notAllowedLine(EVIL, '*', '(none)')]);

    expect(await subscribeTicks(port, ALLOWED)).toEqual({ received: TICKS });
    expect(connects).toBe(1);
  });
});
