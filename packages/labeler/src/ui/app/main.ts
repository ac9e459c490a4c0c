import { ApiError, api, type Media, type Project, type User } from './api.js';
import { h, mount } from './dom.js';
import { Editor } from './editor.js';
import { loginView, projectsView, projectView } from './views.js';

let me: User | null = null;

async function route() {
  try {
    if (!me) me = await api<User>('GET', '/api/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      loginView((u) => {
        me = u;
        if (location.hash === '#/login' || !location.hash) location.hash = '#/projects';
        else void route();
      });
      return;
    }
    throw e;
  }
  const hash = location.hash || '#/projects';
  const projectMatch = hash.match(/^#\/project\/(\d+)$/);
  const m = hash.match(/^#\/media\/(\d+)\/(\d+)$/);
  if (projectMatch) await projectView(me, Number(projectMatch[1]));
  else if (m) {
    const mediaId = Number(m[1]);
    const frame = Number(m[2]);
    const current = (window as { __labeler?: Editor & { mediaId?: number } }).__labeler;
    if (
      current &&
      (current as unknown as { media: Media }).media.id === mediaId &&
      document.getElementById('editor')
    )
      return current.goto(frame);
    const media = await api<Media>('GET', `/api/media/${mediaId}`);
    const project = await api<Project>('GET', `/api/projects/${media.projectId}`);
    const ed = new Editor(me, project, media);
    ed.mount();
    await ed.goto(frame);
    void ed.followRunningJob();
  } else await projectsView(me);
}

window.addEventListener('hashchange', () => void route().catch(showError));
window.addEventListener('beforeunload', () => void (window as { __labeler?: Editor }).__labeler?.flush());
function showError(e: unknown) {
  mount(
    h(
      'div',
      { className: 'page' },
      h('p', { className: 'error' }, (e as Error).message),
      h('a', { href: '#/projects' }, 'Back to projects'),
    ),
  );
}
void route().catch(showError);
