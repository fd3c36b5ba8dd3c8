import {
  type HandshakeJob,
  type InterleavedHandshakeJob,
  runHandshakes,
  runInterleavedHandshakes,
} from './handshake-load.js';
import { IoConnections, type IoOpenJob } from './io-connections.js';
import { serveRpc } from './ipc.js';
import { MessageLoad, type OpenJob, type PumpJob } from './message-load.js';

/**
 * Child process entry: the load generator. It runs in its own process (its own core on a
 * 2-core machine) so that client work is not charged to the server under test.
 */
const messages = new MessageLoad();
const ioConnections = new IoConnections();

serveRpc({
  handshakes: (job: HandshakeJob) => runHandshakes(job),
  interleavedHandshakes: (job: InterleavedHandshakeJob) => runInterleavedHandshakes(job),
  openConnections: (job: OpenJob) => messages.open(job),
  pump: (job: PumpJob) => messages.pump(job),
  closeConnections: () => messages.close(),
  openIoConnections: (job: IoOpenJob) => ioConnections.open(job),
  closeIoConnections: () => ioConnections.close(),
});
