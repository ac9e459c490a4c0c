import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ControllerState,
  Executor,
  ProgressEvent,
  Task,
  TaskReply,
  WeightsMap,
} from '../src/core/contracts.js';
import { InProcessCommunicator, MemorySnapshotStore } from '../src/simulator/in-process.js';
import { createController } from '../src/workflows/index.js';

/** A site whose "training" adds a known constant, so aggregation results can be computed by hand. */
class ShiftingSite implements Executor {
  calls: Task[] = [];
  constructor(
    private readonly shift: number,
    private readonly samples: number,
    private readonly behaviour: 'ok' | 'hang' | 'throw' | { delayMs: number } = 'ok',
  ) {}
  async execute(task: Task): Promise<Omit<TaskReply, 'site'>> {
    this.calls.push(task);
    if (this.behaviour === 'hang') return new Promise(() => {});
    if (this.behaviour === 'throw') throw new Error('disk on fire');
    if (typeof this.behaviour === 'object')
      await new Promise((r) => setTimeout(r, (this.behaviour as { delayMs: number }).delayMs));
    if (task.name === 'validate')
      return {
        status: 'ok',
        numSamples: this.samples,
        metrics: { val_accuracy: first(task.weights) / 100 + this.shift },
      };
    if (task.name === 'submit_model') return { status: 'ok', weights: constantWeights(this.shift * 10) };
    const weights: WeightsMap = {};
    for (const [k, t] of Object.entries(task.weights))
      weights[k] = { shape: t.shape, data: t.data.map((v) => v + this.shift) };
    return { status: 'ok', weights, numSamples: this.samples, metrics: { train_loss: this.shift } };
  }
}

const first = (w: WeightsMap): number => (w['dense_0/kernel'] as { data: Float32Array }).data[0] as number;
function constantWeights(v: number): WeightsMap {
  return {
    'dense_0/kernel': { shape: [2, 1], data: new Float32Array([v, v]) },
    'dense_0/bias': { shape: [1], data: new Float32Array([v]) },
  };
}

const model = { type: 'logreg', features: 2 } as const; // zero-initialised: hand computations start from 0

function context(
  comm: InProcessCommunicator,
  snapshot = new MemorySnapshotStore(),
  abort = new AbortController(),
) {
  const events: ProgressEvent[] = [];
  return {
    ctx: {
      jobId: 'j1',
      comm,
      snapshot,
      progress: (e: ProgressEvent): void => {
        events.push(e);
      },
      signal: abort.signal,
    },
    events,
    snapshot,
    abort,
  };
}

function sitesOf(map: Record<string, Executor>): InProcessCommunicator {
  return new InProcessCommunicator((s) => map[s] as Executor, Object.keys(map));
}

describe('FedAvg scatter-and-gather', () => {
  it('averages weighted by sample count, as computed by hand', async () => {
    const comm = sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(4, 3) });
    const { ctx, events, snapshot } = context(comm);
    const state = await createController({
      workflow: 'fedavg',
      rounds: 2,
      minClients: 2,
      initialModel: model,
    }).run(ctx);
    // round 1: (1*1 + 3*4) / 4 = 3.25; round 2 adds the same again.
    for (const t of Object.values(state.weights)) for (const v of t.data) assert.equal(v, 6.5);
    assert.equal(state.round, 2);
    assert.equal(state.history.length, 2);
    assert.equal(state.history[0]?.metrics.train_loss, (1 * 1 + 3 * 4) / 4);
    assert.equal(state.history[0]?.metrics.samples, 4);
    // validation of the new global model: accuracy = 3.25/100 + shift, weighted 1:3
    assert.ok(
      Math.abs((state.history[0]?.metrics.val_accuracy as number) - (0.0325 + (1 * 1 + 3 * 4) / 4)) < 1e-6,
    );
    assert.equal(snapshot.saves, 2);
    assert.deepEqual(
      events.filter((e) => e.kind === 'round-end').map((e) => (e.kind === 'round-end' ? e.record.round : -1)),
      [0, 1],
    );
    assert.equal(events.filter((e) => e.kind === 'reply').length, 4);
  });

  it('a client that hangs is cut off at the round timeout and the round goes on without it', async () => {
    const comm = sitesOf({
      a: new ShiftingSite(1, 1),
      b: new ShiftingSite(3, 1),
      c: new ShiftingSite(100, 1, 'hang'),
    });
    const { ctx } = context(comm);
    const t0 = Date.now();
    const state = await createController({
      workflow: 'fedavg',
      rounds: 1,
      minClients: 2,
      roundTimeoutMs: 300,
      waitAfterMinMs: 10_000,
      validateEveryRound: false,
      initialModel: model,
    }).run(ctx);
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(state.history[0]?.sites, ['a', 'b']);
    assert.equal(first(state.weights), 2);
  });

  it('waits waitAfterMinMs for a straggler after the minimum, and not longer', async () => {
    const run = async (waitAfterMinMs: number) => {
      const comm = sitesOf({
        a: new ShiftingSite(1, 1),
        b: new ShiftingSite(3, 1),
        c: new ShiftingSite(5, 1, { delayMs: 150 }),
      });
      const { ctx } = context(comm);
      return createController({
        workflow: 'fedavg',
        rounds: 1,
        minClients: 2,
        waitAfterMinMs,
        roundTimeoutMs: 5000,
        validateEveryRound: false,
        initialModel: model,
      }).run(ctx);
    };
    const patient = await run(1000);
    assert.deepEqual(patient.history[0]?.sites, ['a', 'b', 'c']);
    assert.equal(first(patient.weights), 3);
    const hasty = await run(10);
    assert.deepEqual(hasty.history[0]?.sites, ['a', 'b']);
    assert.equal(first(hasty.weights), 2);
  });

  it('a client that fails is left out; too few clients fails the job with a clear message instead of hanging', async () => {
    const ok = await createController({
      workflow: 'fedavg',
      rounds: 1,
      minClients: 1,
      validateEveryRound: false,
      initialModel: model,
    }).run(context(sitesOf({ a: new ShiftingSite(2, 1), b: new ShiftingSite(9, 1, 'throw') })).ctx);
    assert.deepEqual(ok.history[0]?.sites, ['a']);
    const comm = sitesOf({
      a: new ShiftingSite(1, 1),
      b: new ShiftingSite(3, 1, 'throw'),
      c: new ShiftingSite(5, 1, 'hang'),
    });
    const t0 = Date.now();
    await assert.rejects(
      createController({
        workflow: 'fedavg',
        rounds: 3,
        minClients: 2,
        roundTimeoutMs: 200,
        maxRoundRetries: 1,
        initialModel: model,
      }).run(context(comm).ctx),
      (e: Error) =>
        /round 0: only 1 of 3 client\(s\) returned a model: b error \(disk on fire\), c timeout/.test(
          e.message,
        ) && /minClients is 2/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 3000);
    const none = new InProcessCommunicator(() => new ShiftingSite(1, 1), []);
    await assert.rejects(
      createController({
        workflow: 'fedavg',
        rounds: 1,
        minClients: 1,
        waitForClientsMs: 50,
        maxRoundRetries: 0,
        initialModel: model,
      }).run(context(none).ctx),
      /only 0 client\(s\) connected/,
    );
  });

  it('samples clientsPerRound sites per round, reproducibly from the seed', async () => {
    const sites = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`site-${i + 1}`, new ShiftingSite(1, 1)]),
    );
    const run = async () => {
      const { ctx } = context(sitesOf(sites));
      return createController({
        workflow: 'fedavg',
        rounds: 3,
        minClients: 2,
        clientsPerRound: 4,
        seed: 5,
        validateEveryRound: false,
        initialModel: model,
      }).run(ctx);
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(
      a.history.map((h) => h.sites),
      b.history.map((h) => h.sites),
    );
    for (const h of a.history) assert.equal(h.sites.length, 4);
    assert.notDeepEqual(a.history[0]?.sites, a.history[1]?.sites);
  });

  it('resumes from the last snapshot after the server stops mid-job and ends where an uninterrupted run ends', async () => {
    const cfg = {
      workflow: 'fedadam',
      rounds: 4,
      minClients: 2,
      serverLr: 0.5,
      validateEveryRound: false,
      initialModel: model,
    };
    const full = await createController(cfg).run(
      context(sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(2, 2) })).ctx,
    );

    const snapshot = new MemorySnapshotStore();
    const abort = new AbortController();
    const first = context(sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(2, 2) }), snapshot, abort);
    first.ctx.progress = (e: ProgressEvent) => {
      if (e.kind === 'round-end' && e.record.round === 1) abort.abort();
    };
    await assert.rejects(createController(cfg).run(first.ctx), /aborted/);
    assert.equal(snapshot.state?.round, 2);

    const siteA = new ShiftingSite(1, 1);
    const resumed = await createController(cfg).run(
      context(sitesOf({ a: siteA, b: new ShiftingSite(2, 2) }), snapshot).ctx,
    );
    assert.deepEqual(
      siteA.calls.map((t) => t.round),
      [2, 3],
    );
    assert.equal(resumed.history.length, 4);
    assert.deepEqual(resumed.weights, full.weights);
  });
});

describe('server optimisers', () => {
  const handStep = (kind: 'adam' | 'yogi', rounds: number, delta: (w: number) => number) => {
    const [lr, b1, b2, tau] = [0.1, 0.9, 0.99, 1e-3];
    let [w, m, v] = [0, 0, tau * tau];
    for (let r = 0; r < rounds; r++) {
      const d = delta(w);
      m = b1 * m + (1 - b1) * d;
      v = kind === 'adam' ? b2 * v + (1 - b2) * d * d : v - (1 - b2) * d * d * Math.sign(v - d * d);
      w = w + (lr * m) / (Math.sqrt(v) + tau);
    }
    return w;
  };
  for (const kind of ['adam', 'yogi'] as const) {
    it(`Fed${kind === 'adam' ? 'Adam' : 'Yogi'} follows the published update rule`, async () => {
      const comm = sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(4, 3) });
      const state = await createController({
        workflow: kind === 'adam' ? 'fedadam' : 'fedyogi',
        rounds: 3,
        minClients: 2,
        serverLr: 0.1,
        validateEveryRound: false,
        initialModel: model,
      }).run(context(comm).ctx);
      const expected = handStep(kind, 3, () => 3.25);
      for (const t of Object.values(state.weights))
        for (const v of t.data) assert.ok(Math.abs(v - expected) < 1e-5, `${v} vs ${expected}`);
    });
  }
});

describe('FedProx, cyclic and cross-site evaluation', () => {
  it('FedProx sends mu and the training settings to the clients', async () => {
    const a = new ShiftingSite(1, 1);
    await createController({
      workflow: 'fedprox',
      mu: 0.01,
      rounds: 1,
      minClients: 1,
      train: { epochs: 2, lr: 0.05 },
      initialModel: model,
    }).run(context(sitesOf({ a })).ctx);
    assert.equal(a.calls[0]?.config.mu, 0.01);
    assert.equal(a.calls[0]?.config.epochs, 2);
    assert.equal(a.calls[0]?.config.lr, 0.05);
  });

  it('cyclic passes the model from site to site and skips a failing site', async () => {
    const comm = sitesOf({
      a: new ShiftingSite(1, 1),
      b: new ShiftingSite(10, 1, 'throw'),
      c: new ShiftingSite(100, 1),
    });
    const { ctx, events } = context(comm);
    const state: ControllerState = await createController({
      workflow: 'cyclic',
      rounds: 2,
      minClients: 2,
      validateEveryRound: false,
      initialModel: model,
    }).run(ctx);
    assert.equal(first(state.weights), 202);
    assert.deepEqual(state.history[0]?.sites, ['a', 'c']);
    assert.ok(events.some((e) => e.kind === 'log' && e.message.includes('b error')));
  });

  it('cross-site evaluation validates the global model and every local model at every site', async () => {
    const comm = sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(2, 1) });
    const state = await createController({
      workflow: 'fedavg',
      rounds: 1,
      minClients: 2,
      crossSiteEval: true,
      validateEveryRound: false,
      initialModel: model,
    }).run(context(comm).ctx);
    const m = state.extra?.crossSiteEval as {
      models: string[];
      results: Record<string, Record<string, { val_accuracy: number }>>;
    };
    assert.deepEqual(m.models, ['server', 'a', 'b']);
    // validate reports weights/100 + shift: the global model is 1.5, a's local model 10, b's 20
    assert.ok(Math.abs((m.results.server?.b?.val_accuracy as number) - (0.015 + 2)) < 1e-6);
    assert.ok(Math.abs((m.results.a?.b?.val_accuracy as number) - (0.1 + 2)) < 1e-6);
    assert.ok(Math.abs((m.results.b?.a?.val_accuracy as number) - (0.2 + 1)) < 1e-6);

    const standalone = await createController({
      workflow: 'cross-site-eval',
      minClients: 2,
      initialModel: model,
    }).run(context(sitesOf({ a: new ShiftingSite(1, 1), b: new ShiftingSite(2, 1) })).ctx);
    const s = standalone.extra?.crossSiteEval as {
      models: string[];
      results: Record<string, Record<string, { val_accuracy: number }>>;
    };
    assert.deepEqual(s.models, ['server', 'a', 'b']);
    // local training from zero gives a = 1, b = 2; validated at b: 0.01 + 2
    assert.ok(Math.abs((s.results.a?.b?.val_accuracy as number) - 2.01) < 1e-6);
  });
});

describe('server app config validation', () => {
  const base = { workflow: 'fedavg', rounds: 3, minClients: 2, initialModel: model };
  const cases: Array<[unknown, RegExp]> = [
    [{ ...base, workflow: 'fedsgd' }, /workflow: .*fedavg.*fedprox/],
    [{ ...base, rounds: 0 }, /rounds: .*>=1/],
    [{ ...base, minClients: 'two' }, /minClients: .*number/],
    [{ ...base, roundTimeoutMs: -5 }, /roundTimeoutMs/],
    [{ ...base, rond: 3 }, /Unrecognized key: "rond"/],
    [{ ...base, initialModel: { type: 'mlp', layers: [784] } }, /initialModel\.layers/],
    [{ ...base, workflow: 'fedprox' }, /mu: /],
    [{ ...base, clientsPerRound: 1 }, /clientsPerRound \(1\) must be >= minClients \(2\)/],
    [
      {
        ...base,
        filters: [{ type: 'gaussian-dp', point: 'client-before-send', clipNorm: 0, noiseMultiplier: 1 }],
      },
      /filters\.0\.clipNorm/,
    ],
    [
      { ...base, filters: [{ type: 'exclude-vars', point: 'server-sometime', names: ['x'] }] },
      /filters\.0\.point/,
    ],
    ['fedavg', /expected object/],
  ];
  for (const [cfg, pattern] of cases) {
    it(`rejects a bad config with an error matching ${pattern}`, () => {
      assert.throws(
        () => createController(cfg),
        (e: Error) => e.message.startsWith('invalid server app config') && pattern.test(e.message),
      );
    });
  }
});
