import { z } from 'zod';
import { labelSchema } from '../annotations/types.js';
import { forbidden } from '../errors/http-error.js';
import { listAnnotationsByStatus } from '../storage/annotations.js';
import { listMedia } from '../storage/media.js';
import { addMember, createProject, listMembers, listProjects, updateSchema } from '../storage/projects.js';
import { type AppConfig, currentUser, projectAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

export function projectRoutes(api: ApiRegistry, cfg: AppConfig) {
  api.route(
    { method: 'get', path: '/api/projects', tag: 'projects', summary: 'Projects the user can see' },
    async (c) => c.json(await listProjects(cfg.db, await currentUser(cfg, c))),
  );
  api.route(
    {
      method: 'post',
      path: '/api/projects',
      tag: 'projects',
      summary: 'Create a project with its label schema (admin or annotator)',
      body: z.object({ name: z.string().min(1).max(200), labelSchema }),
    },
    async (c, body) => {
      const user = await currentUser(cfg, c);
      if (user.role === 'reviewer') throw forbidden('a reviewer cannot create projects');
      return c.json(await createProject(cfg.db, body.name, body.labelSchema, user), 201);
    },
  );
  api.route(
    { method: 'get', path: '/api/projects/:id', tag: 'projects', summary: 'One project with its media' },
    async (c) => {
      const { project } = await projectAccess(cfg, c, intParam(c, 'id'), 'read');
      return c.json({
        ...project,
        media: await listMedia(cfg.db, project.id),
        members: await listMembers(cfg.db, project.id),
      });
    },
  );
  api.route(
    {
      method: 'put',
      path: '/api/projects/:id/schema',
      tag: 'projects',
      summary: 'Replace the label schema',
      body: labelSchema,
    },
    async (c, body) => {
      const { project } = await projectAccess(cfg, c, intParam(c, 'id'), 'edit');
      await updateSchema(cfg.db, project.id, body);
      return c.json({ ...project, labelSchema: body });
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/members',
      tag: 'projects',
      summary: 'Give a user access to the project (admin)',
      body: z.object({ userId: z.number().int().positive() }),
    },
    async (c, body) => {
      const { user, project } = await projectAccess(cfg, c, intParam(c, 'id'), 'read');
      if (user.role !== 'admin') throw forbidden('only an admin can add project members');
      await addMember(cfg.db, project.id, body.userId);
      return c.json(await listMembers(cfg.db, project.id));
    },
  );
  api.route(
    {
      method: 'get',
      path: '/api/projects/:id/review-queue',
      tag: 'review',
      summary: 'Items waiting for review: low-confidence detections and unreviewed annotations',
      query: { status: 'review (default), pending or proposal' },
    },
    async (c) => {
      const { project } = await projectAccess(cfg, c, intParam(c, 'id'), 'read');
      const status = z.enum(['review', 'pending', 'proposal']).parse(c.req.query('status') ?? 'review');
      return c.json(await listAnnotationsByStatus(cfg.db, project.id, status));
    },
  );
}
