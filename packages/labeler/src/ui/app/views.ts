import { api, type Media, type Project, type User } from './api.js';
import { h, mount } from './dom.js';

export function loginView(onDone: (u: User) => void) {
  const user = h('input', { name: 'username', placeholder: 'username', autocomplete: 'username' });
  const pass = h('input', {
    name: 'password',
    type: 'password',
    placeholder: 'password',
    autocomplete: 'current-password',
  });
  const err = h('div', { className: 'error' });
  const form = h(
    'form',
    {
      className: 'center',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        err.textContent = '';
        try {
          onDone(await api<User>('POST', '/api/auth/login', { username: user.value, password: pass.value }));
        } catch (x) {
          err.textContent = (x as Error).message;
        }
      },
    },
    h('h2', {}, 'Tessera labeler'),
    user,
    pass,
    h('button', { className: 'primary', type: 'submit' }, 'Sign in'),
    err,
    h(
      'div',
      { className: 'muted' },
      'Accounts for the sample project are printed by `tessera-labeler serve`.',
    ),
  );
  mount(form);
  user.focus();
}

function header(me: User, title: string) {
  return h(
    'div',
    { className: 'row' },
    h('a', { href: '#/projects' }, 'Projects'),
    h('h2', { style: 'margin:8px 16px' }, title),
    h('span', { className: 'muted', style: 'margin-left:auto' }, `${me.username} (${me.role})`),
    h(
      'button',
      {
        onclick: async () => {
          await api('POST', '/api/auth/logout');
          location.hash = '#/login';
          location.reload();
        },
      },
      'Sign out',
    ),
  );
}

export async function projectsView(me: User) {
  const projects = await api<Project[]>('GET', '/api/projects');
  const name = h('input', { name: 'project-name', placeholder: 'project name' });
  const classes = h('textarea', {
    name: 'classes',
    rows: 3,
    cols: 40,
    placeholder: 'one class per line: name #rrggbb',
  }) as HTMLTextAreaElement;
  classes.value = 'car #ffd740\nperson #40c4ff';
  const err = h('div', { className: 'error' });
  const create = h(
    'form',
    {
      className: 'row',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        err.textContent = '';
        try {
          const cls = classes.value
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .map((l) => {
              const [n, c] = l.split(/\s+/);
              return { name: n, color: c ?? '#ff5252', attributes: [] };
            });
          const p = await api<Project>('POST', '/api/projects', {
            name: name.value,
            labelSchema: { classes: cls },
          });
          location.hash = `#/project/${p.id}`;
        } catch (x) {
          err.textContent = (x as Error).message;
        }
      },
    },
    name,
    classes,
    h('button', { className: 'primary', type: 'submit' }, 'Create project'),
  );
  mount(
    h(
      'div',
      { className: 'page' },
      header(me, 'Projects'),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          ...projects.map((p) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/project/${p.id}`, className: 'project-link' }, p.name)),
              h('td', { className: 'muted' }, p.labelSchema.classes.map((c) => c.name).join(', ')),
            ),
          ),
        ),
      ),
      me.role !== 'reviewer' ? h('h3', {}, 'New project') : null,
      me.role !== 'reviewer' ? create : null,
      err,
    ),
  );
}

const FORMATS: [string, string][] = [
  ['coco', 'COCO JSON'],
  ['yolo', 'YOLO (tar)'],
  ['voc', 'Pascal VOC (tar)'],
  ['mot', 'MOT (first video)'],
  ['motchallenge', 'MOTChallenge, every video (tar)'],
  ['cvat', 'CVAT video XML'],
  ['webdataset', 'WebDataset shards (tar)'],
];

export async function projectView(me: User, id: number) {
  const p = await api<Project & { media: Media[] }>('GET', `/api/projects/${id}`);
  const err = h('div', { className: 'error' });
  const status = h('div', { className: 'muted' });
  const file = h('input', {
    type: 'file',
    name: 'upload',
    accept: 'video/*,image/*',
    multiple: true,
  }) as HTMLInputElement;
  file.onchange = async () => {
    err.textContent = '';
    for (const f of Array.from(file.files ?? [])) {
      status.textContent = `uploading ${f.name}…`;
      try {
        await uploadWithProgress(
          `/api/projects/${id}/media?name=${encodeURIComponent(f.name)}`,
          f,
          (done, total) => {
            status.textContent =
              done < total
                ? `uploading ${f.name}: ${((100 * done) / total).toFixed(0)}% of ${(total / 1024 / 1024).toFixed(1)} MB`
                : `decoding every frame of ${f.name}…`;
          },
        );
      } catch (x) {
        err.textContent += `${f.name}: ${(x as Error).message}\n`;
      }
    }
    status.textContent = '';
    // Re-render only when everything went in; otherwise keep the error messages on screen.
    if (!err.textContent) void projectView(me, id);
  };
  const imp = h('input', { type: 'file', name: 'import' }) as HTMLInputElement;
  const impFormat = h(
    'select',
    { name: 'import-format' },
    h('option', { value: 'coco' }, 'COCO JSON'),
    h('option', { value: 'yolo' }, 'YOLO tar'),
  ) as HTMLSelectElement;
  imp.onchange = async () => {
    const f = imp.files?.[0];
    if (!f) return;
    try {
      const r = await api<{ imported: number }>(
        'POST',
        `/api/projects/${id}/import/${impFormat.value}?name=${encodeURIComponent(f.name)}`,
        undefined,
        f,
      );
      status.textContent = `imported ${r.imported} annotations`;
    } catch (x) {
      err.textContent = (x as Error).message;
    }
  };
  const queue = await api<
    { id: number; mediaId: number; frame: number; label: string; confidence: number | null; status: string }[]
  >('GET', `/api/projects/${id}/review-queue?status=review`);
  const pending = await api<unknown[]>('GET', `/api/projects/${id}/review-queue?status=pending`);
  const queueView = h(
    'div',
    { id: 'review-queue' },
    h(
      'div',
      { className: 'muted' },
      `${queue.length} low-confidence detections to review, ${pending.length}${pending.length >= 500 ? '+' : ''} annotations awaiting review`,
    ),
    h(
      'table',
      {},
      h(
        'tbody',
        {},
        ...queue
          .slice(0, 50)
          .map((a) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h(
                  'a',
                  { href: `#/media/${a.mediaId}/${a.frame}` },
                  `media ${a.mediaId}, frame ${a.frame + 1}`,
                ),
              ),
              h('td', {}, a.label),
              h(
                'td',
                { className: 'muted' },
                a.confidence != null ? `${(a.confidence * 100).toFixed(0)}%` : '',
              ),
            ),
          ),
      ),
    ),
  );
  mount(
    h(
      'div',
      { className: 'page' },
      header(me, p.name),
      h(
        'div',
        { className: 'row' },
        ...p.labelSchema.classes.map((c) =>
          h('span', {}, h('span', { className: 'swatch', style: `background:${c.color}` }), ` ${c.name}`),
        ),
      ),
      h('h3', {}, 'Media'),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          ...p.media.map((m) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/media/${m.id}/0`, className: 'media-link' }, m.name)),
              h(
                'td',
                { className: 'muted' },
                `${m.kind}, ${m.width}×${m.height}, ${m.frameCount} frame${m.frameCount === 1 ? '' : 's'}`,
              ),
            ),
          ),
        ),
      ),
      me.role !== 'reviewer'
        ? h('div', { className: 'row' }, h('label', {}, 'Upload image or video: '), file)
        : null,
      status,
      err,
      h('h3', {}, 'Review'),
      queueView,
      h('h3', {}, 'Export'),
      h(
        'div',
        { className: 'row' },
        ...FORMATS.map(([f, label]) =>
          h('a', { href: `/api/projects/${id}/export/${f}`, className: `export-${f}`, download: '' }, label),
        ),
      ),
      me.role !== 'reviewer' ? h('h3', {}, 'Import') : null,
      me.role !== 'reviewer' ? h('div', { className: 'row' }, impFormat, imp) : null,
      h('p', {}, h('a', { href: '/api/openapi.json' }, 'REST API (OpenAPI)')),
    ),
  );
}

/** fetch() cannot report upload progress; XMLHttpRequest can. Errors carry the server's message. */
function uploadWithProgress(
  url: string,
  file: File,
  onProgress: (done: number, total: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onload = () => {
      let body: { error?: string } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new Error(body?.error ?? `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('upload failed: connection lost'));
    xhr.send(file);
  });
}
