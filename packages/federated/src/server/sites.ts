import type { Link } from '../transport/link.js';

export interface SiteConn {
  name: string;
  org: string;
  serial: string;
  link: Link;
  connectedAt: number;
  /** jobId → 'ok' once the site verified and installed the job, or the reason it refused. */
  deployed: Map<string, string>;
}

/** The client sites connected now; one connection per site name (a reconnect replaces the old one). */
export class SiteRegistry {
  private sites = new Map<string, SiteConn>();

  add(conn: SiteConn): void {
    const old = this.sites.get(conn.name);
    if (old && old.link !== conn.link) old.link.close('replaced by a newer connection from the same site');
    this.sites.set(conn.name, conn);
  }

  remove(conn: SiteConn): void {
    if (this.sites.get(conn.name) === conn) this.sites.delete(conn.name);
  }

  get(name: string): SiteConn | undefined {
    return this.sites.get(name);
  }

  all(): SiteConn[] {
    return [...this.sites.values()];
  }

  /** Connected sites that have the job installed, in name order. */
  readySites(jobId: string): string[] {
    return this.all()
      .filter((c) => !c.link.closed && c.deployed.get(jobId) === 'ok')
      .map((c) => c.name)
      .sort();
  }
}
