// The HTTP side of `metrics --listen`: GET /metrics serves the exposition of the last scan (a
// scrape never triggers a scan, so any scrape rate costs renders, not /proc walks), in the
// format the Accept header prefers. Anything else is 404/405. Bounded: request and header
// timeouts, a connection cap, no request body read.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../metrics/listenAddress';
import { negotiateFormat } from '../metrics/negotiate';
import type { MetricsExposition } from '../metrics/registry';
import { CONTENT_TYPES } from '../metrics/registry';

export interface MetricsServer {
  /** Where it listens (the real port when 0 was asked). */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_CONNECTIONS = 64;
const REQUEST_TIMEOUT_MS = 10_000;

const INDEX =
  '<html><head><title>Proc Watchdog exporter</title></head><body><h1>Proc Watchdog exporter</h1>' +
  '<p><a href="metrics">Metrics</a></p></body></html>\n';

export function startMetricsServer(
  listen: ListenAddress,
  exposition: MetricsExposition,
): Promise<MetricsServer> {
  const server = createServer((req, res) => handle(req, res, exposition));
  server.maxConnections = MAX_CONNECTIONS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      // After listening, a socket-level error must not end the process (it is logged by no one:
      // the server keeps serving other clients).
      server.on('error', () => undefined);
      const address = server.address() as AddressInfo;
      resolve({
        host: listen.host,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function handle(req: IncomingMessage, res: ServerResponse, exposition: MetricsExposition): void {
  const path = (req.url ?? '/').split('?')[0];
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (path !== '/metrics' && path !== '/') {
    res
      .writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
      .end('not found: try /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end();
    return;
  }
  if (path === '/') {
    res
      .writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' })
      .end(req.method === 'HEAD' ? undefined : INDEX);
    return;
  }
  const format = negotiateFormat(req.headers.accept);
  exposition.render(format).then(
    (text) => {
      const body = Buffer.from(text, 'utf8');
      res.writeHead(200, {
        ...headers,
        'Content-Type': CONTENT_TYPES[format],
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (err: unknown) => {
      res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`render failed: ${err instanceof Error ? err.message : String(err)}\n`);
    },
  );
}
