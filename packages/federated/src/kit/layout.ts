/** File names inside a startup kit; every file under startup/ is covered by startup/signature.json. */
export const KIT = {
  startup: 'startup',
  rootCA: 'rootCA.pem',
  cert: 'cert.pem',
  key: 'key.pem',
  config: 'config.json',
  participants: 'participants.json',
  authorization: 'authorization.json',
  start: 'start.sh',
  signature: 'signature.json',
  /** Site-editable, unsigned: a site may tighten its own policy here. */
  local: 'local',
  /** Runtime data (SQLite, snapshots, deployed jobs); never signed. */
  data: 'data',
} as const;

export interface ServerConfig {
  type: 'server';
  project: string;
  name: string;
  org: string;
  host: string;
  port: number;
  listen: string;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
}

export interface SiteConfig {
  type: 'client' | 'admin';
  project: string;
  name: string;
  org: string;
  role: string;
  server: { name: string; host: string; port: number };
  heartbeatMs: number;
  /** How long a site waits for any sign of the server before reconnecting (kits from before this field: 3 heartbeats). */
  heartbeatTimeoutMs?: number;
}

export type KitConfig = ServerConfig | SiteConfig;

export interface ParticipantRecord {
  name: string;
  type: 'server' | 'client' | 'admin';
  org: string;
  role: string;
  serial: string;
}
