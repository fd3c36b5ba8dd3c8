import { Logger } from '@nestjs/common';
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
  private readonly logger = new Logger(ChatIoGateway.name);

  constructor(private readonly sessions: SessionStore) {}

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
