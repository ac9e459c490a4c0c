import { HttpError } from '../errors/http-error.js';
import { runProcess } from './probe.js';

export const frameFileName = (index: number) => `${String(index).padStart(7, '0')}.jpg`;

/**
 * Decodes every frame in decode order to one JPEG per frame and records each frame's presentation time.
 * `-fps_mode passthrough` keeps ffmpeg from duplicating or dropping frames to fit a constant rate, so frame
 * index n is the n-th decoded frame, also on variable-frame-rate video; showinfo reports each frame's pts
 * in the same pass.
 */
export async function decodeFrames(
  input: string,
  outDir: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ pts: (number | null)[] }> {
  const r = await runProcess(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'info',
      '-i',
      input,
      '-map',
      '0:v:0',
      '-fps_mode',
      'passthrough',
      '-vf',
      'showinfo',
      '-q:v',
      '3',
      '-start_number',
      '0',
      '-f',
      'image2',
      `${outDir}/%07d.jpg`,
    ],
    signal,
  );
  const pts: (number | null)[] = [];
  for (const m of r.stderr.matchAll(/\] n:\s*(\d+) pts:\s*(\S+)\s+pts_time:(\S+)/g)) {
    const t = Number(m[3]);
    pts[Number(m[1])] = Number.isFinite(t) ? t : null;
  }
  const errors = r.stderr.split('\n').filter((l) => /error|invalid|corrupt/i.test(l) && !/showinfo/.test(l));
  if (r.code !== 0 || pts.length === 0) {
    throw new HttpError(
      422,
      `"${name}" could not be decoded (${errors.slice(-1)[0]?.trim() || `ffmpeg exit code ${r.code}`}); the file is corrupt or truncated`,
    );
  }
  for (let i = 0; i < pts.length; i++) if (pts[i] === undefined) pts[i] = null;
  return { pts };
}
