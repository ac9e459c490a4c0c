import type { LabelSchema } from '../annotations/types.js';
import { forbidden, notFound } from '../errors/http-error.js';
import type { Db } from './db.js';
import type { User } from './users.js';

export interface Project {
  id: number;
  name: string;
  labelSchema: LabelSchema;
  createdBy: number | null;
  createdAt: number;
}

type Row = { id: number; name: string; label_schema: string; created_by: number | null; created_at: number };
const toProject = (r: Row): Project => ({
  id: r.id,
  name: r.name,
  labelSchema: JSON.parse(r.label_schema),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export async function createProject(
  db: Db,
  name: string,
  schema: LabelSchema,
  owner: User,
): Promise<Project> {
  return db.tx(async (t) => {
    const row = await t.get<Row>(
      'INSERT INTO projects (name, label_schema, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING *',
      [name, JSON.stringify(schema), owner.id, Date.now()],
    );
    await t.run('INSERT INTO project_members (project_id, user_id) VALUES (?, ?)', [row!.id, owner.id]);
    return toProject(row!);
  });
}

export async function listProjects(db: Db, user: User): Promise<Project[]> {
  const rows =
    user.role === 'admin'
      ? await db.all<Row>('SELECT * FROM projects ORDER BY id')
      : await db.all<Row>(
          'SELECT p.* FROM projects p JOIN project_members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.id',
          [user.id],
        );
  return rows.map(toProject);
}

/** The project if the user may see it; admins see every project, others only those they are members of. */
export async function projectFor(db: Db, id: number, user: User): Promise<Project> {
  const row = await db.get<Row>('SELECT * FROM projects WHERE id = ?', [id]);
  if (!row) throw notFound(`project ${id}`);
  if (user.role !== 'admin') {
    const m = await db.get('SELECT 1 AS ok FROM project_members WHERE project_id = ? AND user_id = ?', [
      id,
      user.id,
    ]);
    if (!m) throw forbidden(`user "${user.username}" is not a member of project ${id}`);
  }
  return toProject(row);
}

export async function updateSchema(db: Db, id: number, schema: LabelSchema): Promise<void> {
  await db.run('UPDATE projects SET label_schema = ? WHERE id = ?', [JSON.stringify(schema), id]);
}

export async function addMember(db: Db, projectId: number, userId: number): Promise<void> {
  await db.run('INSERT INTO project_members (project_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [
    projectId,
    userId,
  ]);
}

export async function listMembers(db: Db, projectId: number): Promise<User[]> {
  return db.all<User>(
    'SELECT u.id, u.username, u.role FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.id',
    [projectId],
  );
}
