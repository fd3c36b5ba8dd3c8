import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Inject, Injectable, type Provider } from '@nestjs/common';
import { GraphQLModule, Query, Resolver, Subscription } from '@nestjs/graphql';
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';

/**
 * GraphQL subscriptions the way a Nest app serves them: `@nestjs/graphql` with the Apollo
 * driver and `subscriptions: { 'graphql-ws': … }`, whose `GqlSubscriptionService` adds its own
 * `'upgrade'` listener to the app's HTTP server, next to any gateway's.
 */

/** Counts what GraphQL code ran, to prove a refused handshake ran none of it. */
export class GraphqlProbe {
  /** graphql-ws `onConnect` calls (one per `connection_init`). */
  connects = 0;
  /** Runs of the `ticks` subscription resolver. */
  subscriptions = 0;
}

/** What every `ticks` subscription receives, then it completes. */
export const TICKS = ['tick 1', 'tick 2', 'tick 3'];

export const TICKS_SUBSCRIPTION = 'subscription { ticks }';

async function* ticks(): AsyncGenerator<string> {
  for (const tick of TICKS) yield tick;
}

@Resolver()
export class TicksResolver {
  constructor(@Inject(GraphqlProbe) private readonly probe: GraphqlProbe) {}

  /** A schema needs a query type. */
  @Query(() => String)
  hello(): string {
    return 'hello';
  }

  @Subscription(() => String, { resolve: (tick: string) => tick })
  ticks(): AsyncGenerator<string> {
    this.probe.subscriptions++;
    return ticks();
  }
}

/**
 * The Apollo driver without its HTTP integration: `ApolloDriver` loads
 * `@as-integrations/express5` (or `@as-integrations/fastify`) to serve queries over HTTP, a
 * package this repository does not install. Subscriptions do not go through it:
 * `ApolloDriver.start()` still creates `GqlSubscriptionService` on the app's HTTP server, which
 * is all these tests exercise.
 */
@Injectable()
export class SubscriptionsOnlyApolloDriver extends ApolloDriver {
  override async registerServer(): Promise<void> {}
}

export interface GraphqlSpec {
  /** @default '/graphql' */
  readonly path?: string;
  /** Also called by graphql-ws `onConnect`, with the handshake request (origin, cookies). */
  readonly onConnect?: (request: IncomingMessage) => void;
}

/** The `imports` and `providers` of an app with code-first GraphQL subscriptions. */
export function graphqlSubscriptions(
  probe: GraphqlProbe,
  spec: GraphqlSpec = {},
): { imports: DynamicModule[]; providers: Provider[] } {
  return {
    imports: [
      GraphQLModule.forRoot<ApolloDriverConfig>({
        driver: SubscriptionsOnlyApolloDriver,
        autoSchemaFile: true,
        path: spec.path ?? '/graphql',
        subscriptions: {
          'graphql-ws': {
            onConnect: (context) => {
              probe.connects++;
              spec.onConnect?.((context.extra as { request: IncomingMessage }).request);
              return true;
            },
          },
        },
      }),
    ],
    providers: [TicksResolver, { provide: GraphqlProbe, useValue: probe }],
  };
}

/** A `ws` client class that sends `Origin: <origin>`, as a page on that origin would. */
export function webSocketFrom(
  origin: string | undefined,
): new (address: string, protocols?: string | string[]) => WebSocket {
  return class OriginWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, origin === undefined ? {} : { origin });
    }
  };
}

export interface SubscriptionOutcome {
  /** The ticks received, in order. */
  readonly received: string[];
  /** The socket's error, as `ws` words it (`Unexpected server response: 403`, `socket hang up`). */
  readonly error?: string;
  /** The close code the client saw (1006 for a connection that never opened). */
  readonly closeCode?: number;
}

/**
 * Runs `subscription { ticks }` with the real `graphql-ws` client (no retries) from `origin`,
 * and resolves with the ticks received, or with how the connection failed.
 */
export async function subscribeTicks(
  port: number,
  origin: string | undefined,
  path = '/graphql',
): Promise<SubscriptionOutcome> {
  let error: string | undefined;
  let closeCode: number | undefined;
  const client: Client = createClient({
    url: `ws://127.0.0.1:${port}${path}`,
    webSocketImpl: webSocketFrom(origin),
    retryAttempts: 0,
    on: {
      // `ws` reports a failed handshake with an ErrorEvent, then closes with 1006.
      error: (event) => {
        error ??= (event as { message?: string }).message ?? String(event);
      },
      closed: (event) => {
        closeCode ??= (event as { code?: number }).code;
      },
    },
  });
  const received: string[] = [];
  try {
    for await (const result of client.iterate<{ ticks: string }>({ query: TICKS_SUBSCRIPTION })) {
      if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
      received.push(result.data!.ticks);
    }
    return { received };
  } catch (failure) {
    if (failure instanceof Error) throw failure;
    return { received, error, closeCode };
  } finally {
    await client.dispose();
  }
}
