import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../kit/project.js';

const appConfig = z.record(z.string(), z.unknown());

/**
 * meta.json of a job folder. deploy_map names which app runs where: site names, "server", or "@ALL" (the
 * server and every client). Each app has a server config (the workflow) and/or a client config (the trainer);
 * `sites` overrides client config per site, e.g. a data shard.
 */
export const jobMetaSchema = z
  .object({
    name: z.string().min(1).max(200),
    min_clients: z.number().int().min(1).default(1),
    deploy_map: z.record(z.string().min(1), z.array(z.string().min(1)).min(1, 'lists no participants')),
    apps: z.record(
      z.string().min(1),
      z
        .object({
          server: appConfig.optional(),
          client: appConfig.optional(),
          sites: z.record(z.string(), appConfig).optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((m, ctx) => {
    let serverApps = 0;
    for (const [app, targets] of Object.entries(m.deploy_map)) {
      if (!(app in m.apps))
        ctx.addIssue({
          code: 'custom',
          path: ['deploy_map', app],
          message: `app "${app}" is not defined under apps (defined: ${Object.keys(m.apps).join(', ') || 'none'})`,
        });
      const toServer = targets.includes('server') || targets.includes('@ALL');
      if (toServer) {
        serverApps++;
        if (!m.apps[app]?.server)
          ctx.addIssue({
            code: 'custom',
            path: ['apps', app, 'server'],
            message: `app "${app}" is deployed to the server but has no server config`,
          });
      }
      if (targets.some((t) => t !== 'server') && m.apps[app] && !m.apps[app].client) {
        ctx.addIssue({
          code: 'custom',
          path: ['apps', app, 'client'],
          message: `app "${app}" is deployed to client sites but has no client config`,
        });
      }
    }
    if (serverApps !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['deploy_map'],
        message: `exactly one app must be deployed to "server" (or "@ALL"); found ${serverApps}`,
      });
  });

export type JobMeta = z.infer<typeof jobMetaSchema>;

export function parseJobMeta(raw: unknown, source = 'meta.json'): JobMeta {
  const r = jobMetaSchema.safeParse(raw);
  if (!r.success) throw new Error(describeIssues(source, r.error));
  return r.data;
}

export function readJobMeta(dir: string): JobMeta {
  const p = join(dir, 'meta.json');
  if (!existsSync(p)) throw new Error(`${dir} is not a job folder: meta.json is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new Error(`${p}: not valid JSON: ${(e as Error).message}`);
  }
  return parseJobMeta(raw, p);
}

export function serverApp(meta: JobMeta): { app: string; config: Record<string, unknown> } {
  for (const [app, targets] of Object.entries(meta.deploy_map)) {
    if (targets.includes('server') || targets.includes('@ALL'))
      return { app, config: meta.apps[app]?.server ?? {} };
  }
  throw new Error('no app is deployed to the server');
}

/** The app and merged client config for `site`, or undefined when the job does not run there. */
export function clientApp(
  meta: JobMeta,
  site: string,
): { app: string; config: Record<string, unknown> } | undefined {
  for (const [app, targets] of Object.entries(meta.deploy_map)) {
    if (targets.includes(site) || targets.includes('@ALL')) {
      const a = meta.apps[app];
      if (!a?.client) continue;
      return { app, config: { ...a.client, ...(a.sites?.[site] ?? {}) } };
    }
  }
  return undefined;
}

export function deployedTo(meta: JobMeta, site: string): boolean {
  return clientApp(meta, site) !== undefined;
}
