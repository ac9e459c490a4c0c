import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { HttpError } from '../errors/http-error.js';

type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteSpec<B extends z.ZodType | undefined> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  body?: B;
  /** Describes a non-JSON request body (uploads, imports). */
  rawBody?: string;
  query?: Record<string, string>;
  responses?: Record<string, string>;
  auth?: boolean;
}

/** Describes a zod failure the way a person fixing the request needs it: which field, what was wrong. */
export function zodMessage(err: z.ZodError): string {
  return err.issues
    .map((i) => `${i.path.length ? `field "${i.path.join('.')}"` : 'body'}: ${i.message}`)
    .join('; ');
}

/**
 * Registers Hono routes and records each one in the OpenAPI document at the same time, so the document
 * cannot drift from the routes that exist.
 */
export class ApiRegistry {
  private readonly paths: Record<string, Record<string, unknown>> = {};

  constructor(private readonly app: Hono) {}

  route<B extends z.ZodType | undefined = undefined>(
    spec: RouteSpec<B>,
    handler: (c: Context, body: B extends z.ZodType ? z.infer<B> : undefined) => Promise<Response> | Response,
  ) {
    const oaPath = spec.path.replace(/:(\w+)/g, '{$1}');
    const params = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: m[1] === 'format' ? 'string' : 'integer' },
    }));
    const query = Object.entries(spec.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    }));
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...params, ...query],
      responses: Object.fromEntries(
        Object.entries({
          '200': 'OK',
          ...(spec.responses ?? {}),
          '400': 'invalid request (message names the field)',
        }).map(([k, v]) => [k, { description: v }]),
      ),
    };
    if (spec.auth !== false) op.security = [{ session: [] }];
    if (spec.body) {
      op.requestBody = {
        required: true,
        content: {
          'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) },
        },
      };
    } else if (spec.rawBody) {
      op.requestBody = {
        required: true,
        description: spec.rawBody,
        content: { 'application/octet-stream': {} },
      };
    }
    this.paths[oaPath] ??= {};
    this.paths[oaPath][spec.method] = op;
    this.app[spec.method](spec.path, async (c) => {
      let body: unknown;
      if (spec.body) {
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          throw new HttpError(400, 'request body must be JSON');
        }
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error), parsed.error.issues);
        body = parsed.data;
      }
      return handler(c, body as never);
    });
  }

  document() {
    return {
      openapi: '3.1.0',
      info: {
        title: 'Tessera labeler API',
        version: '0.1.0',
        description:
          'Everything the browser UI does goes through these endpoints. Errors are {"error": message}.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tessera_session' } } },
      paths: this.paths,
    };
  }
}

export function intParam(c: Context, name: string): number {
  const v = c.req.param(name) ?? '';
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new HttpError(400, `path parameter ${name} must be a non-negative integer, got "${v}"`);
  return n;
}
