import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { describeConnection } from './connection-log.js';
import { DEMO_SETTINGS, type DemoSettings, gatewayLogContext } from './demo-settings.js';
import { SessionStore } from './session.store.js';

/**
 * The same chat as `ChatGateway`, over Socket.IO (default path `/socket.io/`). It trusts the
 * session cookie of the handshake too; Socket.IO's `cors` option would not change that, since
 * it does not apply to the WebSocket transport.
 */
@WebSocketGateway()
export class ChatIoGateway implements OnGatewayConnection {
  @WebSocketServer() private readonly server!: Server;
  private readonly users = new WeakMap<Socket, string>();
  private readonly logger: Logger;

  constructor(
    private readonly sessions: SessionStore,
    @Inject(DEMO_SETTINGS) settings: DemoSettings,
  ) {
    this.logger = new Logger(gatewayLogContext(ChatIoGateway.name, settings));
  }

  handleConnection(client: Socket): void {
    const { headers } = client.handshake;
    const user = this.sessions.userFromCookieHeader(headers.cookie);
    this.logger.log(describeConnection(headers.origin, user));
    if (user === undefined) {
      client.disconnect(true);
      return;
    }
    this.users.set(client, user);
  }

  /** What an attacker is after: data only the logged-in user should see (sent as the ack). */
  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() client: Socket) {
    const user = this.users.get(client);
    return { user, secret: `private inbox of ${user}` };
  }

  @SubscribeMessage('say')
  say(@ConnectedSocket() client: Socket, @MessageBody() text: unknown): void {
    this.server.emit('said', { user: this.users.get(client), text: String(text).slice(0, 500) });
  }
}
