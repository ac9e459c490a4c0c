import type { RgbaImage } from '../image/image.js';
import { rng } from './rng.js';

type Rgb = [number, number, number];
const C: Record<string, Rgb> = {
  red: [206, 17, 38],
  white: [255, 255, 255],
  blue: [0, 56, 168],
  green: [0, 146, 70],
  yellow: [252, 209, 22],
  black: [0, 0, 0],
  orange: [255, 130, 0],
  gold: [255, 206, 0],
  lightblue: [0, 114, 198],
  navy: [0, 32, 91],
};

/** Flag layouts drawable with rectangles and discs. */
export type FlagSpec =
  | { kind: 'vertical' | 'horizontal'; colors: string[] }
  | { kind: 'disc'; field: string; disc: string; offset?: number }
  | { kind: 'nordic'; field: string; cross: string; border?: string }
  | { kind: 'swiss'; field: string; cross: string };

export const FLAGS: Record<string, FlagSpec> = {
  France: { kind: 'vertical', colors: ['blue', 'white', 'red'] },
  Italy: { kind: 'vertical', colors: ['green', 'white', 'red'] },
  Ireland: { kind: 'vertical', colors: ['green', 'white', 'orange'] },
  Belgium: { kind: 'vertical', colors: ['black', 'yellow', 'red'] },
  Romania: { kind: 'vertical', colors: ['blue', 'yellow', 'red'] },
  Mali: { kind: 'vertical', colors: ['green', 'yellow', 'red'] },
  Nigeria: { kind: 'vertical', colors: ['green', 'white', 'green'] },
  Peru: { kind: 'vertical', colors: ['red', 'white', 'red'] },
  Guinea: { kind: 'vertical', colors: ['red', 'yellow', 'green'] },
  'Ivory Coast': { kind: 'vertical', colors: ['orange', 'white', 'green'] },
  Germany: { kind: 'horizontal', colors: ['black', 'red', 'gold'] },
  Netherlands: { kind: 'horizontal', colors: ['red', 'white', 'blue'] },
  Russia: { kind: 'horizontal', colors: ['white', 'blue', 'red'] },
  Austria: { kind: 'horizontal', colors: ['red', 'white', 'red'] },
  Hungary: { kind: 'horizontal', colors: ['red', 'white', 'green'] },
  Bulgaria: { kind: 'horizontal', colors: ['white', 'green', 'red'] },
  Estonia: { kind: 'horizontal', colors: ['lightblue', 'black', 'white'] },
  Lithuania: { kind: 'horizontal', colors: ['yellow', 'green', 'red'] },
  Yemen: { kind: 'horizontal', colors: ['red', 'white', 'black'] },
  'Sierra Leone': { kind: 'horizontal', colors: ['green', 'white', 'lightblue'] },
  Gabon: { kind: 'horizontal', colors: ['green', 'yellow', 'blue'] },
  Poland: { kind: 'horizontal', colors: ['white', 'red'] },
  Ukraine: { kind: 'horizontal', colors: ['lightblue', 'yellow'] },
  Indonesia: { kind: 'horizontal', colors: ['red', 'white'] },
  Japan: { kind: 'disc', field: 'white', disc: 'red' },
  Bangladesh: { kind: 'disc', field: 'green', disc: 'red', offset: -0.05 },
  Denmark: { kind: 'nordic', field: 'red', cross: 'white' },
  Sweden: { kind: 'nordic', field: 'lightblue', cross: 'yellow' },
  Finland: { kind: 'nordic', field: 'white', cross: 'navy' },
  Norway: { kind: 'nordic', field: 'red', cross: 'navy', border: 'white' },
  Switzerland: { kind: 'swiss', field: 'red', cross: 'white' },
};

export function drawFlag(spec: FlagSpec, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const colorAt = (x: number, y: number): Rgb => {
    const u = x / width;
    const v = y / height;
    switch (spec.kind) {
      case 'vertical':
        return C[spec.colors[Math.min(spec.colors.length - 1, Math.floor(u * spec.colors.length))]];
      case 'horizontal':
        return C[spec.colors[Math.min(spec.colors.length - 1, Math.floor(v * spec.colors.length))]];
      case 'disc': {
        const cx = 0.5 + (spec.offset ?? 0);
        const r = 0.3 * height;
        return Math.hypot(x - cx * width, y - 0.5 * height) <= r ? C[spec.disc] : C[spec.field];
      }
      case 'nordic': {
        const cx = 0.37 * width;
        const cy = 0.5 * height;
        const t = 0.1 * height;
        const inner = Math.abs(x - cx) < t / 2 || Math.abs(y - cy) < t / 2;
        if (inner) return C[spec.cross];
        if (spec.border && (Math.abs(x - cx) < t || Math.abs(y - cy) < t)) return C[spec.border];
        return C[spec.field];
      }
      case 'swiss': {
        const dx = Math.abs(x - width / 2) / height;
        const dy = Math.abs(y - height / 2) / height;
        const arm = (dx < 0.1 && dy < 0.31) || (dy < 0.1 && dx < 0.31);
        return arm ? C[spec.cross] : C[spec.field];
      }
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colorAt(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * A "photo" of a flag: sky gradient, a pole, the flag at a seeded position and size, lighting change
 * and sensor noise. Different seeds give different photos of the same flag.
 */
export function flagPhoto(country: string, seed: number, width = 320, height = 240): RgbaImage {
  const spec = FLAGS[country];
  if (!spec) throw new Error(`no flag drawn for "${country}"; known: ${Object.keys(FLAGS).join(', ')}`);
  const rand = rng(seed * 7919 + country.length * 31 + country.charCodeAt(0));
  const data = new Uint8Array(width * height * 4);
  const skyTop: Rgb = [90 + rand() * 60, 140 + rand() * 50, 200 + rand() * 50];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const k = y / height;
      data[i] = skyTop[0] + (230 - skyTop[0]) * k;
      data[i + 1] = skyTop[1] + (235 - skyTop[1]) * k;
      data[i + 2] = skyTop[2] + (240 - skyTop[2]) * k;
      data[i + 3] = 255;
    }
  }
  const fw = Math.round(width * (0.62 + rand() * 0.18));
  const fh = Math.round(fw * (spec.kind === 'swiss' ? 1 : 2 / 3));
  const fx = Math.round(width * 0.06 + rand() * (width - fw - width * 0.1));
  const fy = Math.round(height * 0.05 + rand() * Math.max(1, height - fh - height * 0.1));
  const flag = drawFlag(spec, fw, Math.min(fh, height - fy - 1));
  const light = 0.8 + rand() * 0.35;
  // Pole left of the flag.
  for (let y = Math.max(0, fy - 10); y < height; y++) {
    for (let x = Math.max(0, fx - 6); x < fx; x++) {
      const i = (y * width + x) * 4;
      data[i] = 120;
      data[i + 1] = 110;
      data[i + 2] = 100;
    }
  }
  for (let y = 0; y < flag.height; y++) {
    const wave = Math.round(Math.sin((y / flag.height) * Math.PI * 2 + rand() * 0.01) * 2);
    for (let x = 0; x < flag.width; x++) {
      const sx = x;
      const tx = fx + x + wave;
      const ty = fy + y;
      if (tx < 0 || tx >= width || ty < 0 || ty >= height) continue;
      const shade = light * (0.92 + 0.08 * Math.sin((sx / flag.width) * Math.PI * 3));
      const s = (y * flag.width + sx) * 4;
      const i = (ty * width + tx) * 4;
      data[i] = Math.min(255, flag.data[s] * shade);
      data[i + 1] = Math.min(255, flag.data[s + 1] * shade);
      data[i + 2] = Math.min(255, flag.data[s + 2] * shade);
    }
  }
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c] + (rand() - 0.5) * 24));
  }
  return { width, height, data };
}
