import { z } from 'zod';

/**
 * Authorization: roles × rights, each right with a scope. 'self' means jobs the caller submitted, 'org' jobs
 * submitted by anyone of the caller's organisation, 'any' all jobs. The server enforces the admin rights;
 * each client site enforces `run_job` on its own, from its kit's policy or a site-local override.
 */
export const RIGHTS = ['submit_job', 'view_job', 'manage_job', 'download_job', 'run_job'] as const;
export type Right = (typeof RIGHTS)[number];
export const ADMIN_ROLES = ['project_admin', 'org_admin', 'lead', 'member'] as const;
export type Scope = 'none' | 'self' | 'org' | 'any';

const scope = z.enum(['none', 'self', 'org', 'any']);
const roleRights = z
  .object(
    Object.fromEntries(RIGHTS.map((r) => [r, scope.optional()])) as Record<
      Right,
      z.ZodOptional<typeof scope>
    >,
  )
  .strict();
export const policySchema = z.record(z.string().min(1), roleRights);
export type Policy = Record<string, Partial<Record<Right, Scope>>>;

export const DEFAULT_POLICY: Policy = {
  project_admin: {
    submit_job: 'any',
    view_job: 'any',
    manage_job: 'any',
    download_job: 'any',
    run_job: 'any',
  },
  org_admin: { submit_job: 'none', view_job: 'any', manage_job: 'org', download_job: 'org', run_job: 'none' },
  lead: { submit_job: 'any', view_job: 'any', manage_job: 'self', download_job: 'self', run_job: 'any' },
  member: { submit_job: 'none', view_job: 'any', manage_job: 'none', download_job: 'none', run_job: 'none' },
};

export interface Actor {
  name: string;
  org: string;
  role: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** Decides whether `actor` may exercise `right`, on a job submitted by `owner` when the right concerns a job. */
export function authorize(policy: Policy, actor: Actor, right: Right, owner?: Actor): Decision {
  const s: Scope = policy[actor.role]?.[right] ?? 'none';
  const who = `${actor.name} (role ${actor.role}, org ${actor.org})`;
  if (s === 'any') return { allowed: true, reason: `${right}: any` };
  if (s === 'none')
    return { allowed: false, reason: `${who} has no "${right}" right under the authorization policy` };
  if (!owner) return { allowed: true, reason: `${right}: ${s}` };
  if (s === 'self' && owner.name === actor.name) return { allowed: true, reason: `${right}: own job` };
  if (s === 'org' && owner.org === actor.org) return { allowed: true, reason: `${right}: job of own org` };
  return {
    allowed: false,
    reason: `${who} may "${right}" only on ${s === 'self' ? 'jobs they submitted' : `jobs of org ${actor.org}`}; this job was submitted by ${owner.name} (org ${owner.org})`,
  };
}
