import { Rng } from '../util/rng.js';

export type Objective = (x: number[]) => number;
export type GradientFn = (x: number[], fx?: number) => number[];

export interface OptimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  /** Best value after each iteration. */
  history: number[];
}

export interface Optimizer {
  readonly name: string;
  readonly requiresGradient: boolean;
  minimize(f: Objective, x0: number[], grad?: GradientFn): OptimizeResult;
}

function counting(f: Objective): { f: Objective; count: () => number } {
  let n = 0;
  return {
    f: (x) => {
      n++;
      return f(x);
    },
    count: () => n,
  };
}

/** Nelder–Mead simplex (derivative-free), standard coefficients, stops when the simplex values agree to `tolerance`. */
export class NelderMead implements Optimizer {
  readonly name = 'nelder-mead';
  readonly requiresGradient = false;
  constructor(readonly opts: { maxIterations?: number; tolerance?: number; initialStep?: number } = {}) {}

  minimize(f0: Objective, x0: number[]): OptimizeResult {
    const { f, count } = counting(f0);
    const n = x0.length;
    const maxIt = this.opts.maxIterations ?? 200 * Math.max(1, n);
    const tol = this.opts.tolerance ?? 1e-10;
    const step = this.opts.initialStep ?? 0.5;
    let simplex = [x0.slice()];
    for (let i = 0; i < n; i++) {
      const p = x0.slice();
      p[i] += step;
      simplex.push(p);
    }
    let vals = simplex.map(f);
    const history: number[] = [];
    let it = 0;
    for (; it < maxIt; it++) {
      const order = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      simplex = order.map(([, i]) => simplex[i]);
      vals = order.map(([v]) => v);
      history.push(vals[0]);
      if (Math.abs(vals[n] - vals[0]) <= tol * (Math.abs(vals[0]) + 1e-30) + 1e-14) break;
      const centroid = new Array(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
      const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n][j] - c));
      const xr = along(-1);
      const fr = f(xr);
      if (fr < vals[0]) {
        const xe = along(-2);
        const fe = f(xe);
        if (fe < fr) [simplex[n], vals[n]] = [xe, fe];
        else [simplex[n], vals[n]] = [xr, fr];
      } else if (fr < vals[n - 1]) {
        [simplex[n], vals[n]] = [xr, fr];
      } else {
        const outside = fr < vals[n];
        const xc = along(outside ? -0.5 : 0.5);
        const fc = f(xc);
        if (fc < (outside ? fr : vals[n])) [simplex[n], vals[n]] = [xc, fc];
        else {
          for (let i = 1; i <= n; i++) {
            simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
            vals[i] = f(simplex[i]);
          }
        }
      }
    }
    const best = vals.indexOf(Math.min(...vals));
    return { x: simplex[best], value: vals[best], iterations: it, evaluations: count(), history };
  }
}

/**
 * Hooke–Jeeves pattern search: a derivative-free method (our stand-in for COBYLA, which needs a trust-region
 * linear-programming core we have not written). Polls ± each coordinate, moves along successful patterns,
 * halves the step when nothing improves.
 */
export class PatternSearch implements Optimizer {
  readonly name = 'pattern-search';
  readonly requiresGradient = false;
  constructor(readonly opts: { maxIterations?: number; initialStep?: number; minStep?: number } = {}) {}

  minimize(f0: Objective, x0: number[]): OptimizeResult {
    const { f, count } = counting(f0);
    let step = this.opts.initialStep ?? 0.5;
    const minStep = this.opts.minStep ?? 1e-7;
    const maxIt = this.opts.maxIterations ?? 2000;
    let x = x0.slice();
    let fx = f(x);
    const history: number[] = [];
    let it = 0;
    const explore = (base: number[], fb: number): [number[], number] => {
      const p = base.slice();
      let fp = fb;
      for (let i = 0; i < p.length; i++) {
        for (const d of [step, -step]) {
          const old = p[i];
          p[i] = old + d;
          const v = f(p);
          if (v < fp) {
            fp = v;
            break;
          }
          p[i] = old;
        }
      }
      return [p, fp];
    };
    for (; it < maxIt && step > minStep; it++) {
      const [y, fy] = explore(x, fx);
      if (fy < fx) {
        // pattern move
        const jump = y.map((v, i) => 2 * v - x[i]);
        x = y;
        fx = fy;
        const [z, fz] = explore(jump, f(jump));
        if (fz < fx) {
          x = z;
          fx = fz;
        }
      } else step /= 2;
      history.push(fx);
    }
    return { x, value: fx, iterations: it, evaluations: count(), history };
  }
}

/** Limited-memory BFGS with a backtracking (Armijo) line search. */
export class LBFGS implements Optimizer {
  readonly name = 'l-bfgs';
  readonly requiresGradient = true;
  constructor(readonly opts: { maxIterations?: number; memory?: number; gradientTolerance?: number } = {}) {}

  minimize(f0: Objective, x0: number[], grad?: GradientFn): OptimizeResult {
    if (!grad)
      throw new Error(
        'L-BFGS needs a gradient: pass { gradient: new ParameterShift() } or new CentralDifference()',
      );
    const { f, count } = counting(f0);
    const m = this.opts.memory ?? 8;
    const maxIt = this.opts.maxIterations ?? 200;
    const gtol = this.opts.gradientTolerance ?? 1e-7;
    let x = x0.slice();
    let fx = f(x);
    let g = grad(x, fx);
    const S: number[][] = [],
      Y: number[][] = [];
    const history: number[] = [];
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    let it = 0;
    for (; it < maxIt; it++) {
      if (Math.sqrt(dot(g, g)) < gtol) break;
      // two-loop recursion
      const q = g.slice();
      const alpha: number[] = [];
      for (let i = S.length - 1; i >= 0; i--) {
        const rho = 1 / dot(Y[i], S[i]);
        const a = rho * dot(S[i], q);
        alpha[i] = a;
        for (let j = 0; j < q.length; j++) q[j] -= a * Y[i][j];
      }
      const gamma = S.length
        ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1])
        : 1 / Math.max(1, Math.sqrt(dot(g, g)));
      for (let j = 0; j < q.length; j++) q[j] *= gamma;
      for (let i = 0; i < S.length; i++) {
        const rho = 1 / dot(Y[i], S[i]);
        const b = rho * dot(Y[i], q);
        for (let j = 0; j < q.length; j++) q[j] += S[i][j] * (alpha[i] - b);
      }
      let d = q.map((v) => -v);
      let slope = dot(g, d);
      if (slope >= 0) {
        d = g.map((v) => -v);
        slope = -dot(g, g);
        S.length = 0;
        Y.length = 0;
      }
      let t = 1;
      let xn = x,
        fn = fx;
      for (let ls = 0; ls < 40; ls++) {
        xn = x.map((v, i) => v + t * d[i]);
        fn = f(xn);
        if (fn <= fx + 1e-4 * t * slope) break;
        t /= 2;
      }
      if (!(fn < fx)) break;
      const gn = grad(xn, fn);
      const s = xn.map((v, i) => v - x[i]);
      const y = gn.map((v, i) => v - g[i]);
      if (dot(s, y) > 1e-16) {
        S.push(s);
        Y.push(y);
        if (S.length > m) {
          S.shift();
          Y.shift();
        }
      }
      x = xn;
      fx = fn;
      g = gn;
      history.push(fx);
    }
    return { x, value: fx, iterations: it, evaluations: count(), history };
  }
}

/** Adam (Kingma & Ba) with bias correction. */
export class Adam implements Optimizer {
  readonly name = 'adam';
  readonly requiresGradient = true;
  constructor(
    readonly opts: {
      maxIterations?: number;
      learningRate?: number;
      beta1?: number;
      beta2?: number;
      tolerance?: number;
    } = {},
  ) {}

  minimize(f0: Objective, x0: number[], grad?: GradientFn): OptimizeResult {
    if (!grad)
      throw new Error(
        'Adam needs a gradient: pass { gradient: new ParameterShift() } or new CentralDifference()',
      );
    const { f, count } = counting(f0);
    const lr = this.opts.learningRate ?? 0.05;
    const b1 = this.opts.beta1 ?? 0.9,
      b2 = this.opts.beta2 ?? 0.999;
    const maxIt = this.opts.maxIterations ?? 500;
    const tol = this.opts.tolerance ?? 1e-9;
    let x = x0.slice();
    const mo = new Array(x.length).fill(0),
      v = new Array(x.length).fill(0);
    let best = x.slice(),
      fbest = f(x);
    const history: number[] = [];
    let it = 0;
    for (; it < maxIt; it++) {
      const g = grad(x);
      const gnorm = Math.sqrt(g.reduce((s, a) => s + a * a, 0));
      if (gnorm < tol) break;
      for (let i = 0; i < x.length; i++) {
        mo[i] = b1 * mo[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const mh = mo[i] / (1 - b1 ** (it + 1)),
          vh = v[i] / (1 - b2 ** (it + 1));
        x[i] -= (lr * mh) / (Math.sqrt(vh) + 1e-12);
      }
      x = x.slice();
      const fx = f(x);
      if (fx < fbest) [best, fbest] = [x.slice(), fx];
      history.push(fbest);
    }
    return { x: best, value: fbest, iterations: it, evaluations: count(), history };
  }
}

/** Simultaneous perturbation stochastic approximation (Spall): two evaluations per step, any dimension. */
export class SPSA implements Optimizer {
  readonly name = 'spsa';
  readonly requiresGradient = false;
  constructor(
    readonly opts: {
      maxIterations?: number;
      a?: number;
      c?: number;
      alpha?: number;
      gamma?: number;
      seed?: number;
    } = {},
  ) {}

  minimize(f0: Objective, x0: number[]): OptimizeResult {
    const { f, count } = counting(f0);
    const maxIt = this.opts.maxIterations ?? 400;
    const a = this.opts.a ?? 0.2,
      c = this.opts.c ?? 0.1;
    const alpha = this.opts.alpha ?? 0.602,
      gamma = this.opts.gamma ?? 0.101;
    const A = 0.1 * maxIt;
    const rng = new Rng(this.opts.seed ?? 1);
    let x = x0.slice();
    let best = x.slice(),
      fbest = f(x);
    const history: number[] = [];
    for (let k = 0; k < maxIt; k++) {
      const ak = a / (k + 1 + A) ** alpha,
        ck = c / (k + 1) ** gamma;
      const delta = x.map(() => (rng.nextU32() & 1 ? 1 : -1));
      const fp = f(x.map((v, i) => v + ck * delta[i]));
      const fm = f(x.map((v, i) => v - ck * delta[i]));
      x = x.map((v, i) => v - (ak * (fp - fm)) / (2 * ck * delta[i]));
      const fx = f(x);
      if (fx < fbest) [best, fbest] = [x.slice(), fx];
      history.push(fbest);
    }
    return { x: best, value: fbest, iterations: maxIt, evaluations: count(), history };
  }
}
