import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ADMIN_ROLES, policySchema } from '../admin/policy.js';

const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/,
    'must be 1–128 characters of letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );

const server = z
  .object({
    type: z.literal('server'),
    name,
    org: z.string().min(1),
    host: z.string().min(1).default('127.0.0.1'),
    fed_port: z.number().int().min(1).max(65535).default(8002),
    /** Address to listen on; loopback unless the operator opens it up. */
    listen: z.string().min(1).default('127.0.0.1'),
  })
  .strict();
const client = z.object({ type: z.literal('client'), name, org: z.string().min(1) }).strict();
const admin = z
  .object({ type: z.literal('admin'), name, org: z.string().min(1), role: z.enum(ADMIN_ROLES) })
  .strict();

export const projectSchema = z
  .object({
    api_version: z.literal(1).default(1),
    name,
    description: z.string().optional(),
    key_type: z.enum(['p256', 'rsa']).default('p256'),
    heartbeat_ms: z.number().int().min(100).default(2000),
    heartbeat_timeout_ms: z.number().int().min(200).default(10_000),
    participants: z.array(z.discriminatedUnion('type', [server, client, admin])).min(1),
    authorization: policySchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const servers = p.participants.filter((x) => x.type === 'server');
    if (servers.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['participants'],
        message: `needs exactly one participant with type "server", found ${servers.length}`,
      });
    }
    const seen = new Map<string, number>();
    p.participants.forEach((x, i) => {
      const prev = seen.get(x.name);
      if (prev !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['participants', i, 'name'],
          message: `"${x.name}" is already used by participants[${prev}]`,
        });
      seen.set(x.name, i);
    });
  });

export type Project = z.infer<typeof projectSchema>;
export type ProjectParticipant = Project['participants'][number];

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(top level)';
}

/** Formats zod issues as "file: field.path: message" lines, one per problem. */
export function describeIssues(source: string, error: z.ZodError): string {
  return error.issues.map((i) => `${source}: ${formatPath(i.path)}: ${i.message}`).join('\n');
}

export function parseProject(text: string, source = 'project.yml'): Project {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  const r = projectSchema.safeParse(raw);
  if (!r.success) throw new Error(describeIssues(source, r.error));
  return r.data;
}

export function loadProject(path: string): Project {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `cannot read the project file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`,
    );
  }
  return parseProject(text, path);
}
