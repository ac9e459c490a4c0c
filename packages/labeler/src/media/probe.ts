import { spawn } from 'node:child_process';
import { HttpError } from '../errors/http-error.js';

export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function runProcess(cmd: string, args: string[], signal?: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.length > 4_000_000) err = err.slice(-2_000_000);
    });
    p.on('error', (e) =>
      reject(new Error(`cannot start ${cmd} (install Debian package ffmpeg): ${e.message}`)),
    );
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

export const VIDEO_CODECS = ['h264', 'vp9'];
export const IMAGE_CODECS = ['mjpeg', 'png', 'webp', 'bmp'];
const VIDEO_CONTAINERS = ['mov', 'mp4', 'm4a', '3gp', '3g2', 'mj2', 'matroska', 'webm'];

export interface ProbeResult {
  kind: 'image' | 'video';
  codec: string;
  width: number;
  height: number;
}

/** Identifies what the file is, refusing what we cannot label, with the reason and what would be accepted. */
export async function probeMedia(path: string, name: string): Promise<ProbeResult> {
  const r = await runProcess('ffprobe', [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    path,
  ]);
  if (r.code !== 0) {
    throw new HttpError(
      422,
      `"${name}" could not be read as an image or video (${r.stderr.trim().split('\n').pop() || 'ffprobe failed'}); upload an H.264 or VP9 video (mp4/webm/mov) or a JPEG/PNG/WebP image`,
    );
  }
  const info = JSON.parse(r.stdout.toString()) as {
    streams?: { codec_type: string; codec_name: string; width?: number; height?: number }[];
    format?: { format_name?: string };
  };
  const v = info.streams?.find((s) => s.codec_type === 'video');
  if (!v || !v.width || !v.height) {
    throw new HttpError(
      415,
      `"${name}" has no video or image stream; upload an H.264/VP9 video or a JPEG/PNG/WebP image`,
    );
  }
  const fmt = info.format?.format_name ?? '';
  const isImage = IMAGE_CODECS.includes(v.codec_name) && /image2|_pipe|png|webp/.test(fmt);
  if (isImage) return { kind: 'image', codec: v.codec_name, width: v.width, height: v.height };
  if (!VIDEO_CODECS.includes(v.codec_name)) {
    throw new HttpError(
      415,
      `"${name}" is ${v.codec_name} video, which is not supported; re-encode it as H.264 or VP9 (e.g. ffmpeg -i in -c:v libx264 out.mp4)`,
    );
  }
  if (!fmt.split(',').some((f) => VIDEO_CONTAINERS.includes(f))) {
    throw new HttpError(415, `"${name}" is in a ${fmt} container; use mp4, webm or mov`);
  }
  return { kind: 'video', codec: v.codec_name, width: v.width, height: v.height };
}
