/**
 * A TCP relay that copies bytes both ways between a program and a PostgreSQL server and does nothing else: the
 * least any proxy between the two costs (one more process and two more socket writes per round trip), which
 * bench/dry-run.ts measures beside the transaction proxy. Run as its own process, as the proxy is one apart from
 * the program: `node byte-relay.js <server port>` prints the port it listens on.
 */
import * as net from 'net';

const serverPort = Number(process.argv[2]);
const relay = net.createServer((client) => {
  const server = net.connect(serverPort, '127.0.0.1');
  for (const socket of [client, server]) {
    socket.setNoDelay(true);
    socket.on('error', () => (client.destroy(), server.destroy()));
  }
  client.pipe(server);
  server.pipe(client);
});
relay.listen(0, '127.0.0.1', () => console.log((relay.address() as net.AddressInfo).port));
