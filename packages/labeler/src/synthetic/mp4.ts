import { spawn } from 'node:child_process';
import type { SyntheticVideo } from './video.js';

export interface WriteMp4Options {
  /** x264 constant rate factor; lower is better quality. */
  crf?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Encodes the video as H.264 mp4 with Debian's ffmpeg, piping raw RGBA frames to its stdin. */
export async function writeMp4(
  video: SyntheticVideo,
  path: string,
  options: WriteMp4Options = {},
): Promise<void> {
  const { width, height, fps, frameCount } = video.spec;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-s',
    `${width}x${height}`,
    '-r',
    String(fps),
    '-i',
    'pipe:0',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    String(options.crf ?? 18),
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    path,
  ];
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  ffmpeg.stdin.on('error', () => undefined); // an early exit surfaces through 'close' with ffmpeg's message
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve, reject) => {
    ffmpeg.on('error', (err) =>
      reject(new Error(`writeMp4: cannot start ffmpeg (is it installed?): ${err.message}`)),
    );
    ffmpeg.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`writeMp4: ffmpeg exited with code ${code} writing ${path}: ${stderr.trim()}`));
    });
  });
  try {
    for (let i = 0; i < frameCount; i++) {
      const frame = video.renderFrame(i);
      const chunk = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      if (!ffmpeg.stdin.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const closed = () => reject(new Error(`writeMp4: ffmpeg closed its input early: ${stderr.trim()}`));
          ffmpeg.once('close', closed);
          // Each drained write must take its close listener away again, or they pile up frame after frame.
          ffmpeg.stdin.once('drain', () => {
            ffmpeg.off('close', closed);
            resolve();
          });
        });
      }
      options.onProgress?.(i + 1, frameCount);
    }
    ffmpeg.stdin.end();
  } catch (err) {
    ffmpeg.kill();
    await exited.catch(() => undefined);
    throw err;
  }
  await exited;
}
