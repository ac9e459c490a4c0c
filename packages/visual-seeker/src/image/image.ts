import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** An 8-bit RGBA raster, row-major: the one image type every tool takes. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Pixel rectangle inside an image (x, y = top-left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type ImageInput = string | Uint8Array | RgbaImage;

export function isRgbaImage(v: unknown): v is RgbaImage {
  return (
    typeof v === 'object' &&
    v !== null &&
    'data' in v &&
    'width' in v &&
    'height' in v &&
    (v as RgbaImage).data instanceof Uint8Array
  );
}

/** Decodes PNG or JPEG bytes (detected by magic number, not by file name). */
export function decodeImage(bytes: Uint8Array, name = 'image'): RgbaImage {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  }
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { width: j.width, height: j.height, data: new Uint8Array(j.data) };
  }
  throw new Error(
    `${name}: not a PNG or JPEG image (first bytes ${hexHead(bytes)}); give a .png or .jpg file`,
  );
}

function hexHead(bytes: Uint8Array): string {
  return (
    Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'none: empty file'
  );
}

export async function loadImage(input: ImageInput): Promise<RgbaImage> {
  if (isRgbaImage(input)) {
    if (input.data.length !== input.width * input.height * 4) {
      throw new Error(
        `image: data has ${input.data.length} bytes, expected width*height*4 = ${input.width * input.height * 4}`,
      );
    }
    return input;
  }
  if (typeof input === 'string') {
    let bytes: Buffer;
    try {
      bytes = await readFile(input);
    } catch (err) {
      throw new Error(`image file ${input} cannot be read: ${(err as Error).message}`);
    }
    return decodeImage(bytes, input);
  }
  return decodeImage(input);
}

export function encodePng(img: RgbaImage): Buffer {
  return PNG.sync.write({
    width: img.width,
    height: img.height,
    data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length),
  } as PNG);
}

export function imageDigest(img: RgbaImage): string {
  return createHash('sha256').update(img.data).digest('hex').slice(0, 16);
}

export function clampBox(box: Box, img: RgbaImage): Box {
  const x = Math.max(0, Math.min(img.width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(img.height - 1, Math.round(box.y)));
  const width = Math.max(1, Math.min(img.width - x, Math.round(box.width)));
  const height = Math.max(1, Math.min(img.height - y, Math.round(box.height)));
  return { x, y, width, height };
}

export function crop(img: RgbaImage, box: Box): RgbaImage {
  const b = clampBox(box, img);
  const out = new Uint8Array(b.width * b.height * 4);
  for (let row = 0; row < b.height; row++) {
    const src = ((b.y + row) * img.width + b.x) * 4;
    out.set(img.data.subarray(src, src + b.width * 4), row * b.width * 4);
  }
  return { width: b.width, height: b.height, data: out };
}

/** Area-averaging resize: good enough for thumbnails and descriptors. */
export function resize(img: RgbaImage, width: number, height: number): RgbaImage {
  const out = new Uint8Array(width * height * 4);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let n = 0;
      for (let yy = y0; yy < y1 && yy < img.height; yy++) {
        for (let xx = x0; xx < x1 && xx < img.width; xx++) {
          const i = (yy * img.width + xx) * 4;
          r += img.data[i];
          g += img.data[i + 1];
          b += img.data[i + 2];
          a += img.data[i + 3];
          n++;
        }
      }
      const o = (y * width + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = a / n;
    }
  }
  return { width, height, data: out };
}

/** Scales so the longer side is at most `max` pixels (never enlarges). */
export function fitWithin(img: RgbaImage, max: number): RgbaImage {
  const scale = max / Math.max(img.width, img.height);
  if (scale >= 1) return img;
  return resize(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
}

export function toPngDataUrl(img: RgbaImage): string {
  return `data:image/png;base64,${encodePng(img).toString('base64')}`;
}
