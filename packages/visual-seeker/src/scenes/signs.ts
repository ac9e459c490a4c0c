import { existsSync } from 'node:fs';
import * as PImage from 'pureimage';
import type { RgbaImage } from '../image/image.js';
import { rng } from './rng.js';

/** Debian's fonts-dejavu-core; the only file the sign renderer needs from the system. */
export const SIGN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

let fontReady: Promise<void> | null = null;
function ensureFont(path: string): Promise<void> {
  if (!fontReady) {
    if (!existsSync(path)) {
      throw new Error(
        `font ${path} is missing; install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)`,
      );
    }
    const f = PImage.registerFont(path, 'SignFont');
    fontReady = f.load().then(() => undefined);
  }
  return fontReady;
}

const SIGN_COLORS: Array<{ bg: string; fg: string; board: string }> = [
  { bg: '#2e7d32', fg: '#ffffff', board: '#1b5e20' },
  { bg: '#1565c0', fg: '#ffffff', board: '#0d47a1' },
  { bg: '#f9f9f9', fg: '#111111', board: '#9e9e9e' },
  { bg: '#ffd600', fg: '#111111', board: '#5d4037' },
];

/**
 * A "photo" of a road sign: sky and grass, posts, a coloured board with up to three lines of text
 * in DejaVu Sans Bold at a seeded size and place.
 */
export async function signPhoto(
  lines: string[],
  seed: number,
  width = 480,
  height = 320,
): Promise<RgbaImage> {
  await ensureFont(SIGN_FONT);
  const rand = rng(seed * 104729 + lines.join(' ').length);
  const img = PImage.make(width, height);
  const ctx = img.getContext('2d');
  ctx.fillStyle = '#87b5e0';
  ctx.fillRect(0, 0, width, height * 0.6);
  ctx.fillStyle = '#6d9b4a';
  ctx.fillRect(0, height * 0.6, width, height * 0.4);
  const style = SIGN_COLORS[Math.floor(rand() * SIGN_COLORS.length)];
  const size = Math.round(20 + rand() * 8);
  const longest = Math.max(...lines.map((l) => l.length));
  const bw = Math.min(width - 20, Math.round(longest * size * 0.95 + 40));
  const bh = Math.round(lines.length * size * 1.6 + 30);
  const bx = Math.round(10 + rand() * (width - bw - 20));
  const by = Math.round(10 + rand() * (height * 0.55 - bh));
  ctx.fillStyle = '#555555';
  ctx.fillRect(bx + bw * 0.2, by + bh, 8, height - by - bh);
  ctx.fillRect(bx + bw * 0.8, by + bh, 8, height - by - bh);
  ctx.fillStyle = style.board;
  ctx.fillRect(bx - 4, by - 4, bw + 8, bh + 8);
  ctx.fillStyle = style.bg;
  ctx.fillRect(bx, by, bw, bh);
  ctx.fillStyle = style.fg;
  ctx.font = `${size}pt SignFont`;
  lines.forEach((l, i) => {
    ctx.fillText(l, bx + 20, by + 15 + size * 1.3 + i * size * 1.6);
  });
  return { width, height, data: new Uint8Array(img.data) };
}
