import { createRandom, randomBetween } from './random.js';

/** An RGB image stored as floats 0..255, used as a source to sample from (background, object, occluder). */
export interface Texture {
  width: number;
  height: number;
  rgb: Float32Array;
}

/**
 * Multi-octave value noise tinted between two colours plus scattered blobs: a cluttered natural-looking
 * background with structure at every scale, so a tracker cannot lock onto a flat backdrop.
 */
export function clutterTexture(width: number, height: number, seed: number): Texture {
  const random = createRandom(seed);
  const rgb = new Float32Array(width * height * 3);
  const field = new Float32Array(width * height);
  let amplitude = 1;
  for (let cell = 64; cell >= 4; cell >>= 1) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = random();
    for (let y = 0; y < height; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = smooth(gy - y0);
      for (let x = 0; x < width; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = smooth(gx - x0);
        const a = grid[y0 * gw + x0] + (grid[y0 * gw + x0 + 1] - grid[y0 * gw + x0]) * fx;
        const b = grid[(y0 + 1) * gw + x0] + (grid[(y0 + 1) * gw + x0 + 1] - grid[(y0 + 1) * gw + x0]) * fx;
        field[y * width + x] += amplitude * (a + (b - a) * fy);
      }
    }
    amplitude *= 0.6;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of field) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const c0 = [randomBetween(random, 40, 110), randomBetween(random, 50, 120), randomBetween(random, 30, 100)];
  const c1 = [
    randomBetween(random, 140, 220),
    randomBetween(random, 130, 210),
    randomBetween(random, 120, 200),
  ];
  for (let i = 0; i < field.length; i++) {
    const t = (field[i] - lo) / (hi - lo);
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = c0[c] + (c1[c] - c0[c]) * t;
  }
  const texture = { width, height, rgb };
  const blobs = Math.round((width * height) / 6000);
  for (let i = 0; i < blobs; i++) {
    const colour = [random() * 255, random() * 255, random() * 255];
    const rx = randomBetween(random, 4, 22);
    const ry = randomBetween(random, 4, 22);
    fillEllipse(texture, random() * width, random() * height, rx, ry, colour, 0.55);
  }
  return texture;
}

/**
 * The tracked object's appearance: a bordered panel with stripes, discs and a bright patch, i.e. strong,
 * asymmetric structure like a vehicle or a sign, so that its rotation and scale are visible.
 */
export function objectTexture(width: number, height: number, seed: number): Texture {
  const random = createRandom(seed ^ 0x5bd1e995);
  const rgb = new Float32Array(width * height * 3);
  const texture = { width, height, rgb };
  const base = [
    randomBetween(random, 120, 230),
    randomBetween(random, 30, 120),
    randomBetween(random, 20, 90),
  ];
  const stripe = [
    randomBetween(random, 10, 60),
    randomBetween(random, 60, 160),
    randomBetween(random, 150, 240),
  ];
  const stripeWidth = Math.max(2, Math.round(width / 10));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const onStripe = Math.floor((x + y * 0.5) / stripeWidth) % 3 === 0;
      const c = onStripe ? stripe : base;
      const shade = 0.8 + 0.2 * Math.sin((x / width) * Math.PI * 2) * Math.cos((y / height) * Math.PI);
      for (let k = 0; k < 3; k++) rgb[i + k] = c[k] * shade;
    }
  }
  const discs = 5;
  for (let i = 0; i < discs; i++) {
    const colour = [random() * 255, random() * 255, random() * 255];
    const r = randomBetween(random, 0.08, 0.16) * Math.min(width, height);
    fillEllipse(
      texture,
      randomBetween(random, r, width - r),
      randomBetween(random, r, height - r),
      r,
      r,
      colour,
      1,
    );
  }
  fillRect(texture, width * 0.06, height * 0.08, width * 0.3, height * 0.3, [250, 245, 220]);
  const border = Math.max(2, Math.round(Math.min(width, height) * 0.06));
  const dark = [20, 20, 28];
  fillRect(texture, 0, 0, width, border, dark);
  fillRect(texture, 0, height - border, width, border, dark);
  fillRect(texture, 0, 0, border, height, dark);
  fillRect(texture, width - border, 0, border, height, dark);
  return texture;
}

/** An occluder: a grey-green plank with knots, unlike both object and background. */
export function occluderTexture(width: number, height: number, seed: number): Texture {
  const random = createRandom(seed ^ 0x27d4eb2f);
  const rgb = new Float32Array(width * height * 3);
  const texture = { width, height, rgb };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const grain = 0.85 + 0.15 * Math.sin(y * 0.35 + Math.sin(x * 0.05) * 3);
      rgb[i] = 90 * grain;
      rgb[i + 1] = 110 * grain;
      rgb[i + 2] = 80 * grain;
    }
  }
  for (let i = 0; i < 6; i++) {
    fillEllipse(texture, random() * width, random() * height, 5, 9, [60, 70, 50], 1);
  }
  return texture;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

function fillEllipse(t: Texture, cx: number, cy: number, rx: number, ry: number, c: number[], alpha: number) {
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(t.width - 1, Math.ceil(cx + rx));
  const y0 = Math.max(0, Math.floor(cy - ry));
  const y1 = Math.min(t.height - 1, Math.ceil(cy + ry));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy > 1) continue;
      const i = (y * t.width + x) * 3;
      for (let k = 0; k < 3; k++) t.rgb[i + k] += (c[k] - t.rgb[i + k]) * alpha;
    }
  }
}

function fillRect(t: Texture, x: number, y: number, w: number, h: number, c: number[]) {
  const x0 = Math.max(0, Math.floor(x));
  const x1 = Math.min(t.width, Math.ceil(x + w));
  const y0 = Math.max(0, Math.floor(y));
  const y1 = Math.min(t.height, Math.ceil(y + h));
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const i = (yy * t.width + xx) * 3;
      t.rgb[i] = c[0];
      t.rgb[i + 1] = c[1];
      t.rgb[i + 2] = c[2];
    }
  }
}
