import type { Frame } from '../tracking/contract.js';
import { createRandom } from './random.js';
import {
  BACKGROUND_MARGIN_X,
  BACKGROUND_MARGIN_Y,
  type FramePose,
  objectHalfExtents,
  type ResolvedSpec,
} from './scenario.js';
import { clutterTexture, objectTexture, occluderTexture, type Texture } from './texture.js';

/** Texture pixels per object pixel at scale 1: enough detail to stay sharp when the object grows. */
const OBJECT_TEXTURE_DENSITY = 2;
const NOISE_FIELDS = 4;

export interface RenderOptions {
  /** Leave the object out (the scene exactly as it would be without it); used to check the truth boxes. */
  withObject?: boolean;
}

/** Draws frames of one synthetic video: background, object, occluder, lighting, blur, sensor noise. */
export class SceneRenderer {
  private readonly background: Texture;
  private readonly object: Texture;
  private readonly occluder: Texture;
  private readonly noise: Int8Array[];
  private readonly canvas: Float32Array;
  private readonly scratch: Float32Array;

  constructor(private readonly spec: ResolvedSpec) {
    const { width: W, height: H, seed } = spec;
    this.background = clutterTexture(
      W + 2 * BACKGROUND_MARGIN_X + 1,
      H + 2 * BACKGROUND_MARGIN_Y + 1,
      seed + 11,
    );
    this.object = objectTexture(
      Math.round(spec.objectWidth * OBJECT_TEXTURE_DENSITY),
      Math.round(spec.objectHeight * OBJECT_TEXTURE_DENSITY),
      seed + 23,
    );
    this.occluder = occluderTexture(64, 256, seed + 37);
    const random = createRandom(seed + 41);
    this.noise = [];
    for (let k = 0; k < NOISE_FIELDS; k++) {
      const field = new Int8Array(W * H + 97);
      for (let i = 0; i < field.length; i++) {
        // Sum of three uniforms: roughly Gaussian sensor noise with sigma about 3 grey levels.
        field[i] = Math.round((random() + random() + random() - 1.5) * 6);
      }
      this.noise.push(field);
    }
    this.canvas = new Float32Array(W * H * 3);
    this.scratch = new Float32Array(W * H * 3);
  }

  render(pose: FramePose, frameIndex: number, options: RenderOptions = {}): Frame {
    const { width: W, height: H } = this.spec;
    const canvas = this.canvas;
    this.drawBackground(pose);
    if (options.withObject !== false) this.drawObject(pose);
    if (pose.occluderX !== null) this.drawOccluder(pose);
    if (pose.sceneGain !== 1) {
      for (let i = 0; i < canvas.length; i++) canvas[i] *= pose.sceneGain;
    }
    if (pose.blurRadius > 0) this.blur(pose.blurRadius);
    const data = new Uint8ClampedArray(W * H * 4);
    const noise = this.noise[frameIndex % NOISE_FIELDS];
    const shift = (frameIndex * 31) % 97;
    for (let p = 0, q = 0; p < W * H; p++, q += 3) {
      const n = noise[p + shift];
      data[p * 4] = canvas[q] + n;
      data[p * 4 + 1] = canvas[q + 1] + n;
      data[p * 4 + 2] = canvas[q + 2] + n;
      data[p * 4 + 3] = 255;
    }
    return { width: W, height: H, data };
  }

  private drawBackground(pose: FramePose) {
    const { width: W, height: H } = this.spec;
    const bg = this.background;
    for (let y = 0; y < H; y++) {
      const src = ((y + pose.backgroundY) * bg.width + pose.backgroundX) * 3;
      this.canvas.set(bg.rgb.subarray(src, src + W * 3), y * W * 3);
    }
  }

  private drawObject(pose: FramePose) {
    const { width: W, height: H, objectWidth: ow, objectHeight: oh } = this.spec;
    const tex = this.object;
    const { hx, hy } = objectHalfExtents(this.spec, pose);
    const x0 = Math.max(0, Math.floor(pose.cx - hx));
    const x1 = Math.min(W - 1, Math.ceil(pose.cx + hx));
    const y0 = Math.max(0, Math.floor(pose.cy - hy));
    const y1 = Math.min(H - 1, Math.ceil(pose.cy + hy));
    const cos = Math.cos(pose.angle);
    const sin = Math.sin(pose.angle);
    const k = OBJECT_TEXTURE_DENSITY / pose.scale;
    const gain = pose.objectGain;
    const canvas = this.canvas;
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - pose.cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - pose.cx;
        // Inverse rotation into the object's own frame, then into texture pixels.
        const u = (cos * dx + sin * dy) * k + (ow * OBJECT_TEXTURE_DENSITY) / 2;
        const v = (-sin * dx + cos * dy) * k + (oh * OBJECT_TEXTURE_DENSITY) / 2;
        if (u < 0 || v < 0 || u >= tex.width || v >= tex.height) continue;
        const o = (y * W + x) * 3;
        sampleBilinear(tex, u - 0.5, v - 0.5, canvas, o, gain);
      }
    }
  }

  private drawOccluder(pose: FramePose) {
    const { width: W, height: H } = this.spec;
    const tex = this.occluder;
    const half = pose.occluderWidth / 2;
    const x0 = Math.max(0, Math.round((pose.occluderX as number) - half));
    const x1 = Math.min(W, Math.round((pose.occluderX as number) + half));
    const canvas = this.canvas;
    for (let y = 0; y < H; y++) {
      const ty = y % tex.height;
      for (let x = x0; x < x1; x++) {
        const tx = Math.min(tex.width - 1, Math.floor(((x - x0) / Math.max(1, x1 - x0)) * tex.width));
        const s = (ty * tex.width + tx) * 3;
        const o = (y * W + x) * 3;
        canvas[o] = tex.rgb[s];
        canvas[o + 1] = tex.rgb[s + 1];
        canvas[o + 2] = tex.rgb[s + 2];
      }
    }
  }

  /** Separable box blur, applied twice (close to a Gaussian), as a defocused or shaken camera would give. */
  private blur(radius: number) {
    const { width: W, height: H } = this.spec;
    for (let pass = 0; pass < 2; pass++) {
      boxBlurRows(this.canvas, this.scratch, W, H, radius);
      boxBlurColumns(this.scratch, this.canvas, W, H, radius);
    }
  }
}

function sampleBilinear(tex: Texture, u: number, v: number, out: Float32Array, o: number, gain: number) {
  const cu = Math.min(Math.max(u, 0), tex.width - 1);
  const cv = Math.min(Math.max(v, 0), tex.height - 1);
  const u0 = Math.floor(cu);
  const v0 = Math.floor(cv);
  const u1 = Math.min(u0 + 1, tex.width - 1);
  const v1 = Math.min(v0 + 1, tex.height - 1);
  const fu = cu - u0;
  const fv = cv - v0;
  const a = (v0 * tex.width + u0) * 3;
  const b = (v0 * tex.width + u1) * 3;
  const c = (v1 * tex.width + u0) * 3;
  const d = (v1 * tex.width + u1) * 3;
  const rgb = tex.rgb;
  for (let k = 0; k < 3; k++) {
    const top = rgb[a + k] + (rgb[b + k] - rgb[a + k]) * fu;
    const bottom = rgb[c + k] + (rgb[d + k] - rgb[c + k]) * fu;
    out[o + k] = (top + (bottom - top) * fv) * gain;
  }
}

function boxBlurRows(src: Float32Array, dst: Float32Array, W: number, H: number, r: number) {
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < H; y++) {
    const row = y * W * 3;
    for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let i = -r; i <= r; i++) sum += src[row + Math.min(W - 1, Math.max(0, i)) * 3 + k];
      for (let x = 0; x < W; x++) {
        dst[row + x * 3 + k] = sum * norm;
        const add = Math.min(W - 1, x + r + 1);
        const remove = Math.max(0, x - r);
        sum += src[row + add * 3 + k] - src[row + remove * 3 + k];
      }
    }
  }
}

function boxBlurColumns(src: Float32Array, dst: Float32Array, W: number, H: number, r: number) {
  const norm = 1 / (2 * r + 1);
  const stride = W * 3;
  for (let x = 0; x < W * 3; x++) {
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += src[Math.min(H - 1, Math.max(0, i)) * stride + x];
    for (let y = 0; y < H; y++) {
      dst[y * stride + x] = sum * norm;
      const add = Math.min(H - 1, y + r + 1);
      const remove = Math.max(0, y - r);
      sum += src[add * stride + x] - src[remove * stride + x];
    }
  }
}
