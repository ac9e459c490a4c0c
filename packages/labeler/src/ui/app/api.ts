/** The browser's only way to the server: JSON over the documented REST API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  raw?: BodyInit,
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers:
      raw !== undefined
        ? { 'content-type': 'application/octet-stream' }
        : body !== undefined
          ? { 'content-type': 'application/json' }
          : {},
    body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text
    ? (() => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      })()
    : null;
  if (!res.ok)
    throw new ApiError(
      res.status,
      (data && typeof data === 'object' && 'error' in data ? String(data.error) : text) || res.statusText,
    );
  return data as T;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface LabelClass {
  name: string;
  color: string;
  attributes: { name: string; type: string; options?: string[] }[];
}
export interface Project {
  id: number;
  name: string;
  labelSchema: { classes: LabelClass[] };
}
export interface Media {
  id: number;
  projectId: number;
  name: string;
  kind: 'image' | 'video';
  width: number;
  height: number;
  frameCount: number;
}
export interface Annotation {
  id?: number;
  kind: 'box' | 'polygon' | 'keypoints' | 'tag';
  label: string;
  data: any;
  attributes: Record<string, string | number | boolean>;
  status?: string;
  confidence?: number | null;
  source?: string;
}
export interface TrackBox {
  trackId: number;
  frame: number;
  box: Box;
  outside: boolean;
  occluded: boolean;
  keyframe: boolean;
  source: string;
  confidence: number | null;
  label: string;
  status: string;
  attributes?: Record<string, string | number | boolean>;
}
export interface FrameState {
  frame: number;
  version: number;
  annotations: Annotation[];
  tracks: TrackBox[];
}
export interface User {
  id: number;
  username: string;
  role: 'admin' | 'annotator' | 'reviewer';
}
export interface Job {
  id: number;
  kind: string;
  status: string;
  done: number;
  total: number;
  error: string | null;
}
