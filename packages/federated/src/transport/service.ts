import * as grpc from '@grpc/grpc-js';
import { decodeFrame, encodeFrame, type Frame } from './frame.js';

/**
 * Hand-written gRPC service: one long-lived bidirectional stream per site (tasks, replies, job deployment,
 * heartbeats) and one bidirectional stream per admin command. Both carry Frames, so new message kinds
 * (split learning activations, PSI, HE ciphertexts) need no new RPCs.
 */
const frameMethod = (name: string) => ({
  path: `/tessera.federated.Federation/${name}`,
  requestStream: true,
  responseStream: true,
  requestSerialize: encodeFrame,
  requestDeserialize: decodeFrame,
  responseSerialize: encodeFrame,
  responseDeserialize: decodeFrame,
  originalName: name.toLowerCase(),
});

export const federationService = {
  Connect: frameMethod('Connect'),
  Admin: frameMethod('Admin'),
} satisfies grpc.ServiceDefinition;

export type FrameStream = grpc.ClientDuplexStream<Frame, Frame>;
export type ServerFrameStream = grpc.ServerDuplexStream<Frame, Frame>;

export const FederationClient = grpc.makeGenericClientConstructor(federationService, 'Federation');

/** Frames are ≤ ~1 MiB; 16 MiB leaves room for a large job file list header. */
export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
  // TCP-level liveness only; a busy peer must not be cut off for a late ping ack (heartbeats judge sites).
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export function clientCredentials(rootCA: string, key: string, cert: string): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(rootCA), Buffer.from(key), Buffer.from(cert));
}

/** mTLS: a peer without a certificate issued by this project's root CA never completes the handshake. */
export function serverCredentials(rootCA: string, key: string, cert: string): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(
    Buffer.from(rootCA),
    [{ private_key: Buffer.from(key), cert_chain: Buffer.from(cert) }],
    true,
  );
}

export function newClient(address: string, creds: grpc.ChannelCredentials, serverName?: string): grpc.Client {
  const opts: grpc.ChannelOptions = { ...CHANNEL_OPTIONS };
  if (serverName) {
    opts['grpc.ssl_target_name_override'] = serverName;
    opts['grpc.default_authority'] = serverName;
  }
  return new FederationClient(address, creds, opts);
}
