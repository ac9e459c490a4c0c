import {
  type Annotation,
  ApiError,
  api,
  type Box,
  type FrameState,
  type Job,
  type Media,
  type Project,
  type TrackBox,
  type User,
} from './api.js';
import { h, mount } from './dom.js';
import {
  corners,
  hitTest,
  renderScene,
  type Scene,
  type Selection,
  selectedBox,
  type View,
} from './render.js';

type Tool = 'select' | 'box' | 'polygon' | 'keypoints';
type UndoEntry =
  | { kind: 'anns'; frame: number; before: Annotation[]; after: Annotation[] }
  | {
      kind: 'track';
      frame: number;
      trackId: number;
      before: TrackBox | null;
      after: { box: Box; outside: boolean; occluded: boolean };
    };

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const pendingKey = (m: number, f: number) => `labeler-pending-${m}-${f}`;

/** The frame editor: canvas stage, tools, autosave, undo/redo, tracking jobs, review. */
export class Editor {
  private frame = 0;
  /** The frame the user asked for last; key repeats step from here so fast presses add up. */
  private target = 0;
  private loadSeq = 0;
  private version = 0;
  private scene: Scene;
  private view: View = { zoom: 1, panX: 0, panY: 0 };
  private tool: Tool = 'select';
  private label: string;
  private readonly canvas = h('canvas', { id: 'frame-canvas' }) as HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly stage = h('div', { id: 'stage' });
  private readonly statusEl = h('span', { id: 'status', className: 'muted' });
  private readonly side = h('div', { id: 'side' });
  private readonly slider: HTMLInputElement;
  private readonly frameLabel = h('span', { id: 'frame-label' });
  private readonly progress = h('progress', {
    id: 'track-progress',
    max: 1,
    value: 0,
    style: 'display:none',
  }) as HTMLProgressElement;
  private readonly stopBtn: HTMLButtonElement;
  private readonly trackCheck = h('input', { type: 'checkbox', id: 'as-track' }) as HTMLInputElement;
  private readonly images = new Map<number, Promise<HTMLImageElement>>();
  private undo: UndoEntry[] = [];
  private redo: UndoEntry[] = [];
  private saveTimer: number | undefined;
  private saving: Promise<void> | null = null;
  private dirty = false;
  private drawQueued = false;
  private job: Job | null = null;
  private drag: {
    mode: 'move' | 'resize' | 'pan' | 'draw' | 'vertex';
    sx: number;
    sy: number;
    ox: number;
    oy: number;
    corner?: number;
    vertex?: number;
    start?: Box;
    startPts?: number[][];
    before?: Annotation[];
  } | null = null;
  private spaceDown = false;
  private readonly trackAttrs = new Map<number, Record<string, string | number | boolean>>();
  readonly perf = { renders: 0, lastRenderMs: 0 };
  /** Tracks marked outside on this frame: not drawn, but listed and selectable (T looks for them coming back). */
  private outsideTracks: TrackBox[] = [];

  constructor(
    private readonly me: User,
    private readonly project: Project,
    private readonly media: Media,
  ) {
    this.ctx = this.canvas.getContext('2d')!;
    this.label = project.labelSchema.classes[0]?.name ?? '';
    this.scene = {
      img: null,
      anns: [],
      tracks: [],
      classes: project.labelSchema.classes,
      selected: null,
      draft: null,
    };
    this.trackCheck.checked = media.kind === 'video';
    this.slider = h('input', {
      type: 'range',
      min: 0,
      max: media.frameCount - 1,
      value: 0,
      id: 'frame-slider',
    }) as HTMLInputElement;
    this.slider.oninput = () => void this.goto(Number(this.slider.value));
    this.stopBtn = h(
      'button',
      { id: 'stop-track', style: 'display:none', onclick: () => void this.stopJob() },
      'Stop',
    ) as HTMLButtonElement;
  }

  private canEdit() {
    return this.me.role !== 'reviewer';
  }
  private canReview() {
    return this.me.role !== 'annotator';
  }

  mount() {
    const tools: [Tool, string, string][] = [
      ['select', 'Select (V)', 'v'],
      ['box', 'Box (B)', 'b'],
      ['polygon', 'Polygon (P)', 'p'],
      ['keypoints', 'Points (N)', 'n'],
    ];
    const classSel = h(
      'select',
      {
        id: 'class-select',
        onchange: (e: Event) => {
          this.label = (e.target as HTMLSelectElement).value;
          this.applyLabelToSelection();
        },
      },
      ...this.project.labelSchema.classes.map((c, i) =>
        h('option', { value: c.name }, `${i + 1}: ${c.name}`),
      ),
    );
    const videoButton = (id: string, onclick: () => void, title: string, label: string) =>
      this.media.kind === 'video' ? h('button', { id, onclick, title }, label) : null;
    const toolbar = h(
      'div',
      { id: 'toolbar' },
      h('a', { href: `#/project/${this.project.id}` }, '← project'),
      h('strong', {}, this.media.name),
      ...tools.map(([t, label]) =>
        h('button', { className: 'tool', 'data-tool': t, onclick: () => this.setTool(t) }, label),
      ),
      classSel,
      this.media.kind === 'video' ? h('label', {}, this.trackCheck, ' draw as track') : null,
      h(
        'button',
        { id: 'tag-btn', onclick: () => this.addTag(), title: 'tag the frame with the class (G)' },
        'Tag (G)',
      ),
      h(
        'button',
        {
          id: 'track-btn',
          onclick: () => void this.track('forward'),
          title:
            'track the selected object forward (T), backward (Shift+T); on a frame where it is marked outside, look for it coming back',
        },
        'Track ▶ (T)',
      ),
      videoButton(
        'fill-btn',
        () => void this.fill(),
        'fill from this keyframe to the next one: track from both and join the two runs (I)',
        'Fill ▶| (I)',
      ),
      videoButton(
        'interpolate-btn',
        () => void this.interpolate(),
        "interpolate from this keyframe to the next one: clear the tracker's boxes between them (L)",
        'Interpolate ▶| (L)',
      ),
      h(
        'button',
        {
          id: 'keyframe-btn',
          onclick: () => void this.keyframe(false),
          title: 'make this frame a keyframe (K)',
        },
        'Keyframe (K)',
      ),
      h(
        'button',
        {
          id: 'outside-btn',
          onclick: () => void this.keyframe(true),
          title: 'object is outside from this frame (O)',
        },
        'Outside (O)',
      ),
      h(
        'button',
        { id: 'detect-btn', onclick: () => void this.detect(), title: 'run the COCO detector on this frame' },
        'Detect',
      ),
      videoButton(
        'detect-tracks-btn',
        () => void this.detectTracks(),
        'detect on the next 50 frames and link detections into proposed tracks',
        'Detect → tracks',
      ),
      h('button', { id: 'undo-btn', onclick: () => void this.doUndo() }, 'Undo'),
      h('button', { id: 'redo-btn', onclick: () => void this.doRedo() }, 'Redo'),
      this.canReview()
        ? h('button', { id: 'accept-btn', onclick: () => void this.review('accept') }, 'Accept (Shift+A)')
        : null,
      this.canReview()
        ? h('button', { id: 'reject-btn', onclick: () => void this.review('reject') }, 'Reject (Shift+R)')
        : null,
      this.progress,
      this.stopBtn,
      this.statusEl,
    );
    const timeline = h(
      'div',
      { id: 'timeline' },
      h('button', { onclick: () => void this.goto(this.target - 1) }, '◀'),
      this.slider,
      h('button', { onclick: () => void this.goto(this.target + 1) }, '▶'),
      this.frameLabel,
    );
    this.stage.append(this.canvas);
    mount(h('div', { id: 'editor' }, toolbar, this.stage, this.side, timeline));
    this.setTool(this.canEdit() ? 'box' : 'select');
    new ResizeObserver(() => this.resize()).observe(this.stage);
    this.bindInput();
    (window as any).__labeler = this;
  }

  private resize() {
    const r = this.stage.getBoundingClientRect();
    this.canvas.width = Math.max(1, Math.floor(r.width));
    this.canvas.height = Math.max(1, Math.floor(r.height));
    if (this.view.zoom === 1 && this.view.panX === 0) this.fit();
    this.requestDraw();
  }

  fit() {
    const z = Math.min(this.canvas.width / this.media.width, this.canvas.height / this.media.height) * 0.98;
    this.view = {
      zoom: z,
      panX: (this.canvas.width - this.media.width * z) / 2,
      panY: (this.canvas.height - this.media.height * z) / 2,
    };
    this.requestDraw();
  }

  requestDraw() {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      const t0 = performance.now();
      renderScene(this.ctx, this.view, this.scene);
      this.perf.lastRenderMs = performance.now() - t0;
      this.perf.renders++;
    });
  }

  private setStatus(s: string, error = false) {
    this.statusEl.textContent = s;
    this.statusEl.className = error ? 'error' : 'muted';
  }

  private setTool(t: Tool) {
    if (t !== 'select' && !this.canEdit()) return;
    this.tool = t;
    this.scene.draft = null;
    for (const b of Array.from(document.querySelectorAll<HTMLElement>('.tool')))
      b.classList.toggle('active', b.dataset.tool === t);
    this.canvas.style.cursor = t === 'select' ? 'default' : 'crosshair';
    this.requestDraw();
  }

  private image(n: number): Promise<HTMLImageElement> {
    let p = this.images.get(n);
    if (!p) {
      p = new Promise((ok, fail) => {
        const img = new Image();
        img.onload = () => ok(img);
        img.onerror = () => fail(new Error(`frame ${n} image failed to load`));
        img.src = `/api/media/${this.media.id}/frames/${n}/image`;
      });
      this.images.set(n, p);
      if (this.images.size > 64) this.images.delete(this.images.keys().next().value as number);
    }
    return p;
  }

  /** Shows frame n: waits for a pending save, then loads the frame's objects and image together. */
  async goto(n: number) {
    n = Math.max(0, Math.min(this.media.frameCount - 1, Math.round(n)));
    this.target = n;
    const seq = ++this.loadSeq;
    await this.flush();
    const [state, img] = await Promise.all([
      api<FrameState>('GET', `/api/media/${this.media.id}/frames/${n}`),
      this.image(n),
    ]);
    if (seq !== this.loadSeq) return; // a later request superseded this one
    this.frame = n;
    this.version = state.version;
    this.scene.img = img;
    this.scene.tracks = state.tracks.filter((t) => !t.outside);
    this.outsideTracks = state.tracks.filter((t) => t.outside);
    this.scene.anns = state.annotations;
    const keepTrack = this.scene.selected?.type === 'track' ? this.scene.selected.trackId : null;
    this.scene.selected =
      keepTrack !== null && state.tracks.some((t) => t.trackId === keepTrack)
        ? { type: 'track', trackId: keepTrack }
        : null;
    this.slider.value = String(n);
    this.frameLabel.textContent = `frame ${n + 1} / ${this.media.frameCount}`;
    if (location.hash !== `#/media/${this.media.id}/${n}`)
      history.replaceState(null, '', `#/media/${this.media.id}/${n}`);
    for (let k = 1; k <= 3; k++)
      if (n + k < this.media.frameCount) void this.image(n + k).catch(() => undefined);
    this.restorePending();
    this.renderSide();
    this.requestDraw();
  }

  /** Edits not yet confirmed by the server survive a reload or crash in localStorage and are re-applied here. */
  private restorePending() {
    const raw = localStorage.getItem(pendingKey(this.media.id, this.frame));
    if (!raw) return;
    const p = JSON.parse(raw) as { version: number; anns: Annotation[] };
    if (p.version === this.version) {
      this.scene.anns = p.anns;
      this.markDirty();
      this.setStatus('restored unsaved edits');
    } else localStorage.removeItem(pendingKey(this.media.id, this.frame));
  }

  private markDirty() {
    this.dirty = true;
    localStorage.setItem(
      pendingKey(this.media.id, this.frame),
      JSON.stringify({ version: this.version, anns: this.scene.anns }),
    );
    this.setStatus('unsaved…');
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.save(), 300);
  }

  async flush() {
    clearTimeout(this.saveTimer);
    if (this.saving) await this.saving;
    if (this.dirty) await this.save();
  }

  private async save() {
    if (this.saving) {
      await this.saving;
      if (!this.dirty) return;
    }
    this.dirty = false;
    const frame = this.frame;
    const sent = this.scene.anns.slice();
    const payload = sent.map((a) => ({
      id: a.id,
      kind: a.kind,
      label: a.label,
      data: a.data,
      attributes: a.attributes ?? {},
    }));
    this.setStatus('saving…');
    this.saving = (async () => {
      try {
        const r = await api<{ version: number; annotations: Annotation[] }>(
          'PUT',
          `/api/media/${this.media.id}/frames/${frame}/annotations`,
          { version: this.version, annotations: payload },
        );
        if (frame !== this.frame) return;
        this.version = r.version;
        const known = new Set<number | undefined>(sent.map((a) => a.id).filter((id) => id !== undefined));
        const fresh = r.annotations.filter((a) => !known.has(a.id));
        let k = 0;
        for (const a of sent) if (a.id === undefined && fresh[k]) a.id = fresh[k++].id;
        const byId = new Map(r.annotations.map((a) => [a.id, a]));
        for (const a of this.scene.anns) {
          const s = a.id !== undefined ? byId.get(a.id) : undefined;
          if (s) a.status = s.status;
        }
        if (!this.dirty) localStorage.removeItem(pendingKey(this.media.id, frame));
        this.setStatus(this.dirty ? 'unsaved…' : 'saved');
      } catch (e) {
        localStorage.removeItem(pendingKey(this.media.id, frame));
        if (e instanceof ApiError && e.status === 409) {
          this.setStatus(`Not saved: ${e.message}. The frame was reloaded.`, true);
          this.dirty = false;
          this.saving = null;
          await this.goto(frame);
        } else this.setStatus(`Not saved: ${(e as Error).message}`, true);
      } finally {
        this.saving = null;
      }
    })();
    await this.saving;
  }

  private editAnns(fn: (anns: Annotation[]) => void) {
    if (!this.canEdit()) return;
    const before = clone(this.scene.anns);
    fn(this.scene.anns);
    this.undo.push({ kind: 'anns', frame: this.frame, before, after: clone(this.scene.anns) });
    this.redo = [];
    this.markDirty();
    this.renderSide();
    this.requestDraw();
  }

  private async applyUndo(e: UndoEntry, direction: 'undo' | 'redo') {
    if (e.frame !== this.frame) await this.goto(e.frame);
    if (e.kind === 'anns') {
      const target = clone(direction === 'undo' ? e.before : e.after);
      // Ids of rows deleted and re-created by the server no longer exist: send those as new.
      const live = new Set(this.scene.anns.map((a) => a.id));
      for (const a of target) if (a.id !== undefined && !live.has(a.id)) delete a.id;
      this.scene.anns = target;
      this.scene.selected = null;
      this.markDirty();
    } else {
      try {
        if (direction === 'undo') {
          if (e.before?.keyframe)
            await this.putKeyframe(e.trackId, {
              box: e.before.box,
              outside: e.before.outside,
              occluded: e.before.occluded,
            });
          else
            this.version = (
              await api<{ version: number }>(
                'DELETE',
                `/api/tracks/${e.trackId}/frames/${this.frame}?version=${this.version}`,
              )
            ).version;
        } else await this.putKeyframe(e.trackId, e.after);
      } catch (x) {
        this.setStatus((x as Error).message, true);
      }
      await this.goto(this.frame);
    }
    this.requestDraw();
  }

  async doUndo() {
    const e = this.undo.pop();
    if (!e) return;
    this.redo.push(e);
    await this.applyUndo(e, 'undo');
  }
  async doRedo() {
    const e = this.redo.pop();
    if (!e) return;
    this.undo.push(e);
    await this.applyUndo(e, 'redo');
  }

  private async putKeyframe(trackId: number, kf: { box: Box; outside: boolean; occluded: boolean }) {
    const r = await api<{ version: number }>('PUT', `/api/tracks/${trackId}/frames/${this.frame}`, {
      version: this.version,
      ...kf,
    });
    this.version = r.version;
  }

  /** Sets a track's box on this frame as a keyframe (moving, resizing, K, O), undoably. */
  private async setTrackBox(
    trackId: number,
    kf: { box: Box; outside: boolean; occluded: boolean },
    before: TrackBox | null,
  ) {
    await this.flush();
    try {
      await this.putKeyframe(trackId, kf);
      this.undo.push({ kind: 'track', frame: this.frame, trackId, before, after: kf });
      this.redo = [];
      this.setStatus('saved');
    } catch (e) {
      this.setStatus(`Not saved: ${(e as Error).message}`, true);
    }
    await this.goto(this.frame);
  }

  /** The selected track's box on this frame, or its outside mark (see outsideTracks). */
  private selectedTrack(): TrackBox | null {
    const s = this.scene.selected;
    if (s?.type !== 'track') return null;
    const here = (t: TrackBox) => t.trackId === s.trackId;
    return this.scene.tracks.find(here) ?? this.outsideTracks.find(here) ?? null;
  }

  async keyframe(outside: boolean) {
    const t = this.selectedTrack();
    if (!t) return this.setStatus('select a track first', true);
    await this.setTrackBox(t.trackId, { box: t.box, outside, occluded: t.occluded }, clone(t));
  }

  track(direction: 'forward' | 'backward') {
    const doing = this.selectedTrack()?.outside
      ? `looking for the object coming back, ${direction}`
      : `tracking ${direction}`;
    return this.startTrackJob(doing, false, (trackId) =>
      api<Job>('POST', `/api/tracks/${trackId}/track`, { fromFrame: this.frame, direction }),
    );
  }

  /** Fills from the keyframe on this frame (made one if it is not) to the track's next keyframe. */
  fill() {
    return this.startTrackJob('filling to the next keyframe', true, (trackId) =>
      api<Job>('POST', `/api/tracks/${trackId}/fill`, { fromFrame: this.frame }),
    );
  }

  /**
   * Clears the tracker's boxes from the keyframe on this frame (made one if it is not) to the track's next
   * keyframe: the frames between show the interpolation of the two.
   */
  interpolate() {
    return this.fromKeyframeHere(true, async (trackId) => {
      const r = await api<{ toFrame: number | null; cleared: number }>(
        'POST',
        `/api/tracks/${trackId}/interpolate`,
        { fromFrame: this.frame },
      );
      this.setStatus(
        `interpolating to ${r.toFrame === null ? 'the end' : `frame ${r.toFrame}`}: ${r.cleared} tracker boxes cleared`,
      );
      await this.goto(this.frame);
    });
  }

  /** Starts a track job from the keyframe on this frame (see fromKeyframeHere) and follows it. */
  private startTrackJob(doing: string, keepOutside: boolean, start: (trackId: number) => Promise<Job>) {
    return this.fromKeyframeHere(keepOutside, async (trackId) => this.followJob(await start(trackId), doing));
  }

  /**
   * Makes the selected track's box on this frame a keyframe (an outside box stays outside only if
   * `keepOutside`: tracking needs a box to start from), then acts on the track; errors go to the status line.
   */
  private async fromKeyframeHere(keepOutside: boolean, act: (trackId: number) => Promise<void>) {
    const t = this.selectedTrack();
    if (!t) return this.setStatus('select a track first (draw a box with "draw as track" on)', true);
    if (this.job) return this.setStatus('a track job is already running', true);
    await this.flush();
    try {
      const outside = keepOutside && t.outside;
      // Tracking from a frame where the object is outside needs no box there: the run looks for it coming back.
      if (!t.keyframe && !(t.outside && !keepOutside))
        await this.setTrackBox(t.trackId, { box: t.box, outside, occluded: t.occluded }, clone(t));
      await act(t.trackId);
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
  }

  /**
   * A track job left running on this video (by another tab, another person, or a server that restarted and
   * resumed it) is shown as if started here: progress, Stop, and the outcome.
   */
  async followRunningJob() {
    if (this.job) return;
    try {
      const running = await api<Job[]>('GET', `/api/media/${this.media.id}/jobs`);
      const job = running.find((j) => j.kind === 'track');
      if (job) await this.followJob(job, `tracking (job ${job.id})`);
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
  }

  /**
   * The job now. While the server cannot be reached (restarting: its jobs resume when it is back) this keeps
   * asking, once a second for up to two minutes, and says so.
   */
  private async pollJob(id: number, doing: string): Promise<Job> {
    for (let waited = 0; ; waited++) {
      try {
        const job = await api<Job>('GET', `/api/jobs/${id}`);
        if (waited > 0) this.setStatus(`${doing}…`);
        return job;
      } catch (e) {
        if (e instanceof ApiError || waited >= 120) throw e;
        this.setStatus(`${doing}: the server cannot be reached; asking again…`, true);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Shows a track job's progress until it ends, then its outcome, and redraws the frame. */
  private async followJob(job: Job, doing: string) {
    try {
      this.job = job;
      this.progress.style.display = '';
      this.stopBtn.style.display = '';
      this.setStatus(`${doing}…`);
      while (this.job && this.job.status === 'running') {
        await new Promise((r) => setTimeout(r, 250));
        this.job = await this.pollJob(job.id, doing);
        this.progress.max = Math.max(1, this.job.total);
        this.progress.value = this.job.done;
      }
      const end = this.job;
      this.setStatus(
        end.status === 'failed'
          ? `tracking failed: ${end.error}`
          : `tracking ${end.status}: ${end.done} frames`,
        end.status === 'failed',
      );
    } catch (e) {
      this.setStatus((e as Error).message, true);
    } finally {
      this.job = null;
      this.progress.style.display = 'none';
      this.stopBtn.style.display = 'none';
      await this.goto(this.frame);
    }
  }

  async stopJob() {
    if (this.job) this.job = await api<Job>('POST', `/api/jobs/${this.job.id}/stop`);
  }

  async detect() {
    if (!this.canEdit()) return;
    await this.flush();
    this.setStatus('detecting…');
    try {
      const r = await api<{ proposals: number }>(
        'POST',
        `/api/media/${this.media.id}/frames/${this.frame}/detect`,
        { version: this.version },
      );
      this.setStatus(
        `${r.proposals} proposals (dashed); select one and press Enter to accept, Delete to reject`,
      );
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
    await this.goto(this.frame);
  }

  /** Detects on the next 50 frames in the background and links the detections into proposed tracks. */
  async detectTracks() {
    if (!this.canEdit() || this.job) return;
    await this.flush();
    const to = Math.min(this.media.frameCount - 1, this.frame + 49);
    try {
      const job = await api<Job>('POST', `/api/media/${this.media.id}/detect-tracks`, {
        fromFrame: this.frame,
        toFrame: to,
      });
      this.job = job;
      this.progress.style.display = '';
      this.stopBtn.style.display = '';
      this.setStatus(`detecting on frames ${this.frame + 1}–${to + 1}…`);
      while (this.job && this.job.status === 'running') {
        await new Promise((r) => setTimeout(r, 400));
        this.job = await this.pollJob(job.id, 'detecting');
        this.progress.max = Math.max(1, this.job.total);
        this.progress.value = this.job.done;
      }
      const end = this.job;
      this.setStatus(
        end.status === 'done' || end.status === 'stopped'
          ? `${end.status === 'stopped' ? `stopped after ${end.done} frame${end.done === 1 ? '' : 's'}; ` : ''}proposed tracks are dashed; select one and press Enter to accept, Delete to reject`
          : `detection ${end.status}: ${end.error ?? ''}`,
        end.status === 'failed',
      );
    } catch (e) {
      this.setStatus((e as Error).message, true);
    } finally {
      this.job = null;
      this.progress.style.display = 'none';
      this.stopBtn.style.display = 'none';
      await this.goto(this.frame);
    }
  }

  async review(decision: 'accept' | 'reject') {
    const s = this.scene.selected;
    if (!s) return this.setStatus('select an object to review', true);
    await this.flush();
    try {
      if (s.type === 'track') await api('POST', `/api/tracks/${s.trackId}/review`, { decision });
      else {
        const a = this.scene.anns[s.index];
        if (a.id === undefined) return;
        await api('POST', `/api/annotations/${a.id}/review`, { decision });
      }
      this.setStatus(`${decision}ed`);
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
    await this.goto(this.frame);
  }

  private addTag() {
    this.editAnns((a) => a.push({ kind: 'tag', label: this.label, data: {}, attributes: {} }));
  }

  private applyLabelToSelection() {
    const s = this.scene.selected;
    if (s?.type === 'ann')
      this.editAnns((a) => {
        a[s.index].label = this.label;
      });
  }

  private async deleteSelected() {
    const s = this.scene.selected;
    if (!s) return;
    if (s.type === 'ann') {
      const a = this.scene.anns[s.index];
      if (a.status === 'proposal' && a.id !== undefined) return this.review('reject');
      this.scene.selected = null;
      this.editAnns((list) => list.splice(s.index, 1));
    } else if (this.selectedTrack()?.status === 'proposal') {
      return this.review('reject');
    } else if (confirm(`Delete track #${s.trackId} on every frame?`)) {
      await api('DELETE', `/api/tracks/${s.trackId}`);
      this.scene.selected = null;
      await this.goto(this.frame);
    }
  }

  private toImage(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      (e.clientX - r.left - this.view.panX) / this.view.zoom,
      (e.clientY - r.top - this.view.panY) / this.view.zoom,
    ];
  }

  private async finishDraft() {
    const d = this.scene.draft;
    this.scene.draft = null;
    if (!d || d.kind === 'box') return;
    if (d.kind === 'polygon' && d.points.length < 3)
      return this.setStatus('a polygon needs at least 3 points', true);
    if (d.points.length === 0) return;
    const points = d.kind === 'keypoints' ? d.points.map((p) => [p[0], p[1], 2]) : d.points;
    this.editAnns((a) => a.push({ kind: d.kind, label: this.label, data: { points }, attributes: {} }));
  }

  private async createBox(box: Box) {
    if (box.w < 2 || box.h < 2) return;
    if (this.trackCheck.checked && this.media.kind === 'video') {
      await this.flush();
      let created: number | null = null;
      try {
        const r = await api<{ track: { id: number }; version: number }>(
          'POST',
          `/api/media/${this.media.id}/tracks`,
          { frame: this.frame, version: this.version, label: this.label, box },
        );
        // A frame load begun before the track existed would arrive without it and clear the selection.
        this.loadSeq++;
        this.scene.selected = { type: 'track', trackId: r.track.id };
        created = r.track.id;
      } catch (e) {
        this.setStatus((e as Error).message, true);
      }
      await this.goto(this.frame);
      // Only now is the track in the scene: said earlier, an immediate T found no track to follow.
      if (created !== null) this.setStatus(`track #${created} created; press T to track it`);
    } else {
      this.editAnns((a) => a.push({ kind: 'box', label: this.label, data: box, attributes: {} }));
      this.scene.selected = { type: 'ann', index: this.scene.anns.length - 1 };
    }
  }

  private bindInput() {
    const c = this.canvas;
    c.oncontextmenu = (e) => e.preventDefault();
    c.onwheel = (e) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      const mx = e.clientX - r.left;
      const my = e.clientY - r.top;
      const f = Math.exp(-e.deltaY * 0.0015);
      const z = Math.min(40, Math.max(0.05, this.view.zoom * f));
      this.view.panX = mx - ((mx - this.view.panX) * z) / this.view.zoom;
      this.view.panY = my - ((my - this.view.panY) * z) / this.view.zoom;
      this.view.zoom = z;
      this.requestDraw();
    };
    c.onmousedown = (e) => {
      const [x, y] = this.toImage(e);
      if (e.button !== 0 || this.spaceDown) {
        this.drag = { mode: 'pan', sx: e.clientX, sy: e.clientY, ox: this.view.panX, oy: this.view.panY };
        return;
      }
      const tol = 6 / this.view.zoom;
      if (this.tool === 'polygon' || this.tool === 'keypoints') {
        const d =
          this.scene.draft && this.scene.draft.kind === this.tool
            ? this.scene.draft
            : { kind: this.tool, points: [] as number[][] };
        d.points.push([x, y]);
        this.scene.draft = d;
        this.requestDraw();
        return;
      }
      const sel = selectedBox(this.scene);
      if (sel && this.canEdit()) {
        const ci = corners(sel).findIndex(([hx, hy]) => Math.abs(hx - x) <= tol && Math.abs(hy - y) <= tol);
        if (ci >= 0) {
          this.drag = {
            mode: 'resize',
            sx: x,
            sy: y,
            ox: 0,
            oy: 0,
            corner: ci,
            start: { ...sel },
            before: clone(this.scene.anns),
          };
          return;
        }
      }
      const s = this.scene.selected;
      if (s?.type === 'ann' && this.canEdit()) {
        const a = this.scene.anns[s.index];
        if (a && (a.kind === 'polygon' || a.kind === 'keypoints')) {
          const vi = (a.data.points as number[][]).findIndex(
            (p) => Math.abs(p[0] - x) <= tol && Math.abs(p[1] - y) <= tol,
          );
          if (vi >= 0) {
            this.drag = {
              mode: 'vertex',
              sx: x,
              sy: y,
              ox: 0,
              oy: 0,
              vertex: vi,
              before: clone(this.scene.anns),
            };
            return;
          }
        }
      }
      const hit = hitTest(this.scene, x, y, tol);
      if (this.tool === 'box' && !(hit && sel && hit.type === this.scene.selected?.type)) {
        this.scene.selected = null;
        this.drag = { mode: 'draw', sx: x, sy: y, ox: 0, oy: 0 };
        this.scene.draft = { kind: 'box', box: { x, y, w: 0, h: 0 } };
        this.requestDraw();
        return;
      }
      this.scene.selected = hit;
      this.renderSide();
      if (hit && this.canEdit()) {
        const b = selectedBox(this.scene);
        const a = hit.type === 'ann' ? this.scene.anns[hit.index] : null;
        this.drag = {
          mode: 'move',
          sx: x,
          sy: y,
          ox: 0,
          oy: 0,
          start: b ? { ...b } : undefined,
          startPts: a?.data.points ? clone(a.data.points) : undefined,
          before: clone(this.scene.anns),
        };
      }
      this.requestDraw();
    };
    window.onmousemove = (e) => {
      const d = this.drag;
      if (!d) return;
      if (d.mode === 'pan') {
        this.view.panX = d.ox + e.clientX - d.sx;
        this.view.panY = d.oy + e.clientY - d.sy;
        this.requestDraw();
        return;
      }
      const [x, y] = this.toImage(e);
      const dx = x - d.sx;
      const dy = y - d.sy;
      if (d.mode === 'draw' && this.scene.draft?.kind === 'box') {
        this.scene.draft.box = {
          x: Math.min(d.sx, x),
          y: Math.min(d.sy, y),
          w: Math.abs(dx),
          h: Math.abs(dy),
        };
      } else if (d.mode === 'move' || d.mode === 'resize') {
        const b = this.liveBox();
        if (d.start && b) {
          if (d.mode === 'move') Object.assign(b, { x: d.start.x + dx, y: d.start.y + dy });
          else {
            const s = d.start;
            let x0 = s.x,
              y0 = s.y,
              x1 = s.x + s.w,
              y1 = s.y + s.h;
            if (d.corner === 0 || d.corner === 2) x0 += dx;
            else x1 += dx;
            if (d.corner === 0 || d.corner === 1) y0 += dy;
            else y1 += dy;
            Object.assign(b, {
              x: Math.min(x0, x1),
              y: Math.min(y0, y1),
              w: Math.abs(x1 - x0),
              h: Math.abs(y1 - y0),
            });
          }
        } else if (d.startPts && this.scene.selected?.type === 'ann') {
          this.scene.anns[this.scene.selected.index].data.points = d.startPts.map((p) => [
            p[0] + dx,
            p[1] + dy,
            ...p.slice(2),
          ]);
        }
      } else if (d.mode === 'vertex' && this.scene.selected?.type === 'ann') {
        const p = this.scene.anns[this.scene.selected.index].data.points[d.vertex!];
        p[0] = x;
        p[1] = y;
      }
      this.requestDraw();
    };
    window.onmouseup = (e) => {
      const d = this.drag;
      this.drag = null;
      if (!d || d.mode === 'pan') return;
      const [x, y] = this.toImage(e);
      const moved = Math.abs(x - d.sx) + Math.abs(y - d.sy) > 1 / this.view.zoom;
      if (d.mode === 'draw') {
        const box = this.scene.draft?.kind === 'box' ? this.scene.draft.box : null;
        this.scene.draft = null;
        if (box) void this.createBox(box);
        this.requestDraw();
        return;
      }
      if (!moved) return;
      const s = this.scene.selected;
      if (s?.type === 'track') {
        const t = this.selectedTrack();
        if (t && d.start)
          void this.setTrackBox(
            t.trackId,
            { box: { ...t.box }, outside: false, occluded: t.occluded },
            { ...t, box: d.start },
          );
      } else if (s?.type === 'ann' && d.before) {
        this.undo.push({ kind: 'anns', frame: this.frame, before: d.before, after: clone(this.scene.anns) });
        this.redo = [];
        this.markDirty();
      }
    };
    window.onkeydown = (e) => {
      if (
        (e.target as HTMLElement).tagName === 'INPUT' &&
        (e.target as HTMLInputElement).type !== 'range' &&
        (e.target as HTMLInputElement).type !== 'checkbox'
      )
        return;
      if ((e.target as HTMLElement).tagName === 'TEXTAREA' || (e.target as HTMLElement).tagName === 'SELECT')
        return;
      const k = e.key;
      const ctrl = e.ctrlKey || e.metaKey;
      if (k === ' ') {
        this.spaceDown = true;
        e.preventDefault();
        return;
      }
      if (ctrl && (k === 'z' || k === 'Z')) {
        e.preventDefault();
        void (e.shiftKey ? this.doRedo() : this.doUndo());
        return;
      }
      if (ctrl && (k === 'y' || k === 'Y')) {
        e.preventDefault();
        void this.doRedo();
        return;
      }
      if (ctrl) return;
      const step = e.shiftKey ? 10 : 1;
      if (k === 'ArrowRight' || k === 'd' || k === 'f') {
        e.preventDefault();
        void this.goto(this.target + step);
      } else if (k === 'ArrowLeft' || k === 'a') {
        e.preventDefault();
        void this.goto(this.target - step);
      } else if (k === 'Home') void this.goto(0);
      else if (k === 'End') void this.goto(this.media.frameCount - 1);
      else if (k === 't') void this.track('forward');
      else if (k === 'T') void this.track('backward');
      else if (k === 'i') void this.fill();
      else if (k === 'l') void this.interpolate();
      else if (k === 'k') void this.keyframe(false);
      else if (k === 'o') void this.keyframe(true);
      else if (k === 'A' && this.canReview()) void this.review('accept');
      else if (k === 'R' && this.canReview()) void this.review('reject');
      else if (k === 'Delete' || k === 'Backspace') void this.deleteSelected();
      else if (k === 'Enter') {
        if (this.scene.draft) void this.finishDraft();
        else {
          const s = this.scene.selected;
          if (s?.type === 'ann' && this.scene.anns[s.index]?.status === 'proposal')
            void this.review('accept');
          if (s?.type === 'track' && this.selectedTrack()?.status === 'proposal') void this.review('accept');
        }
      } else if (k === 'Escape') {
        if (this.job) void this.stopJob();
        this.scene.draft = null;
        this.scene.selected = null;
        this.renderSide();
        this.requestDraw();
      } else if (k === 'v') this.setTool('select');
      else if (k === 'b') this.setTool('box');
      else if (k === 'p') this.setTool('polygon');
      else if (k === 'n') this.setTool('keypoints');
      else if (k === 'g') this.addTag();
      else if (k === '0') this.fit();
      else if (k === '+' || k === '=') {
        this.view.zoom *= 1.25;
        this.requestDraw();
      } else if (k === '-') {
        this.view.zoom /= 1.25;
        this.requestDraw();
      } else if (/^[1-9]$/.test(k)) {
        const cls = this.project.labelSchema.classes[Number(k) - 1];
        if (cls) {
          this.label = cls.name;
          (document.getElementById('class-select') as HTMLSelectElement).value = cls.name;
          this.applyLabelToSelection();
        }
      }
    };
    window.onkeyup = (e) => {
      if (e.key === ' ') this.spaceDown = false;
    };
  }

  /** The box object being dragged: the annotation's data, or the track box shown on this frame. */
  private liveBox(): Box | null {
    const s = this.scene.selected;
    if (!s) return null;
    if (s.type === 'track') return this.scene.tracks.find((t) => t.trackId === s.trackId)?.box ?? null;
    const a = this.scene.anns[s.index];
    return a?.kind === 'box' ? a.data : null;
  }

  /** Class attributes of the selected object (from the label schema), saved with the frame or the track. */
  private attributeForm(): Node {
    const s = this.scene.selected;
    if (!s || !this.canEdit()) return h('div');
    const ann = s.type === 'ann' ? this.scene.anns[s.index] : null;
    const trackId = s.type === 'track' ? s.trackId : null;
    const label = ann?.label ?? this.scene.tracks.find((t) => t.trackId === trackId)?.label;
    const cls = this.project.labelSchema.classes.find((c) => c.name === label);
    if (!cls || cls.attributes.length === 0) return h('div');
    const current: Record<string, string | number | boolean> = ann
      ? (ann.attributes ?? {})
      : (this.trackAttrs.get(trackId!) ??
        this.scene.tracks.find((t) => t.trackId === trackId)?.attributes ??
        {});
    const set = async (name: string, value: string | number | boolean) => {
      if (ann)
        this.editAnns(() => {
          ann.attributes = { ...ann.attributes, [name]: value };
        });
      else if (trackId !== null) {
        const t = await api<{ attributes: Record<string, string | number | boolean> }>(
          'PUT',
          `/api/tracks/${trackId}`,
          { attributes: { ...current, [name]: value } },
        );
        this.trackAttrs.set(trackId, t.attributes);
        this.setStatus('saved');
      }
    };
    return h(
      'div',
      { id: 'attributes' },
      h('strong', {}, `${cls.name} attributes`),
      ...cls.attributes.map((a) => {
        const v = current[a.name];
        const input =
          a.type === 'checkbox'
            ? h('input', {
                type: 'checkbox',
                checked: v === true,
                onchange: (e: Event) => void set(a.name, (e.target as HTMLInputElement).checked),
              })
            : a.type === 'select'
              ? h(
                  'select',
                  { onchange: (e: Event) => void set(a.name, (e.target as HTMLSelectElement).value) },
                  h('option', { value: '' }, '—'),
                  ...(a.options ?? []).map((o) => h('option', { value: o, selected: v === o }, o)),
                )
              : h('input', {
                  type: a.type === 'number' ? 'number' : 'text',
                  value: v === undefined ? '' : String(v),
                  onchange: (e: Event) => {
                    const raw = (e.target as HTMLInputElement).value;
                    void set(a.name, a.type === 'number' ? Number(raw) : raw);
                  },
                });
        return h('div', { className: 'row' }, h('label', {}, a.name), input);
      }),
      h('hr'),
    );
  }

  private renderSide() {
    const colour = new Map(this.project.labelSchema.classes.map((c) => [c.name, c.color]));
    const sel = this.scene.selected;
    const many = this.scene.anns.length + this.scene.tracks.length > 200;
    const row = (label: string, text: string, selected: boolean, onclick: () => void) =>
      h(
        'div',
        { className: `obj${selected ? ' sel' : ''}`, onclick },
        h('span', { className: 'swatch', style: `background:${colour.get(label) ?? '#fff'}` }),
        text,
      );
    const items: Node[] = [];
    if (!many) {
      for (const t of [...this.scene.tracks, ...this.outsideTracks]) {
        items.push(
          row(
            t.label,
            `track #${t.trackId} ${t.label} · ${t.outside ? 'outside' : t.keyframe ? 'keyframe' : t.source}${t.status !== 'pending' ? ` · ${t.status}` : ''}`,
            sel?.type === 'track' && sel.trackId === t.trackId,
            () => {
              this.scene.selected = { type: 'track', trackId: t.trackId };
              this.renderSide();
              this.requestDraw();
            },
          ),
        );
      }
      this.scene.anns.forEach((a, i) => {
        items.push(
          row(
            a.label,
            `${a.kind} ${a.label}${a.confidence != null ? ` ${(a.confidence * 100).toFixed(0)}%` : ''}${a.status && a.status !== 'pending' ? ` · ${a.status}` : ''}`,
            sel?.type === 'ann' && sel.index === i,
            () => {
              this.scene.selected = { type: 'ann', index: i };
              this.renderSide();
              this.requestDraw();
            },
          ),
        );
      });
    }
    this.side.replaceChildren(
      this.attributeForm(),
      h(
        'div',
        { id: 'object-count' },
        `${this.scene.tracks.length} track boxes, ${this.scene.anns.length} annotations`,
      ),
      many
        ? h('div', { className: 'muted' }, 'list hidden above 200 objects; click on the canvas to select')
        : h('div', {}, ...items),
      h('hr'),
      h(
        'div',
        { className: 'muted', style: 'font-size:12px;line-height:1.6' },
        '←/→ or A/D frame (Shift ×10) · B box · P polygon · N points · G tag · V select · Enter finish/accept · T track ▶ · Shift+T track ◀ · I fill to next keyframe · L interpolate to next keyframe · Esc stop · K keyframe · O outside · Del delete · Ctrl+Z/Ctrl+Y undo/redo · 1–9 class · wheel zoom · right-drag or Space+drag pan · 0 fit',
      ),
    );
  }
}
