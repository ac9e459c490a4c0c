import * as grpc from '@grpc/grpc-js';
import type { Kit } from '../kit/kit.js';
import type { SiteConfig } from '../kit/layout.js';
import type { Frame } from './frame.js';
import { clientCredentials, type FrameStream, newClient } from './service.js';

/** Opens one of the federation's bidirectional streams to the server named in a client or admin kit. */
export function openStream(
  kit: Kit,
  method: 'Connect' | 'Admin',
  address?: string,
): { client: grpc.Client; stream: FrameStream; address: string } {
  const cfg = kit.config as SiteConfig;
  const addr = address ?? `${cfg.server.host}:${cfg.server.port}`;
  // Verify the server certificate against the server's participant name (a DNS SAN), not the dialled IP.
  const client = newClient(addr, clientCredentials(kit.rootCA, kit.key, kit.cert), cfg.server.name);
  const fn = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Frame, Frame>>)[method];
  if (!fn) throw new Error(`gRPC client has no ${method} method`);
  const stream = fn.call(client);
  return { client, stream, address: addr };
}

/** Turns gRPC failures into messages a site operator can act on. */
export function describeGrpcError(e: unknown, address: string): string {
  const err = e as { code?: number; details?: string; message?: string };
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      if (/certificate|handshake|SSL|TLS/i.test(err.details ?? '')) {
        return `TLS handshake with ${address} failed: the server's certificate does not chain to this kit's root CA, or the server rejected ours (kits from another project are refused) [${err.details}]`;
      }
      if (/ECONNREFUSED/.test(err.details ?? ''))
        return `cannot reach the server at ${address}: nothing is listening there (is the server running?)`;
      return `cannot reach the server at ${address} (${err.details ?? err.message})`;
    case grpc.status.PERMISSION_DENIED:
      return `the server refused this participant: ${err.details}`;
    case grpc.status.UNAUTHENTICATED:
      return `the server could not authenticate this participant: ${err.details}`;
    default:
      return err.details ?? err.message ?? String(e);
  }
}
