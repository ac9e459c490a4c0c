import { z } from 'zod';

export const boxSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().finite().nonnegative(),
  h: z.number().finite().nonnegative(),
});
const point = z.tuple([z.number().finite(), z.number().finite()]);
const keypoint = z.tuple([z.number().finite(), z.number().finite(), z.number().int().min(0).max(2)]);

export const annotationData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('box'), data: boxSchema }),
  z.object({ kind: z.literal('polygon'), data: z.object({ points: z.array(point).min(3) }) }),
  z.object({ kind: z.literal('keypoints'), data: z.object({ points: z.array(keypoint).min(1) }) }),
  z.object({ kind: z.literal('tag'), data: z.object({}).strict() }),
]);

export const annotationInput = z.intersection(
  annotationData,
  z.object({
    id: z.number().int().positive().optional(),
    label: z.string().min(1),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }),
);
export type AnnotationInput = z.infer<typeof annotationInput>;

export type AnnotationStatus = 'pending' | 'accepted' | 'rejected' | 'proposal' | 'review';

export interface Annotation {
  id: number;
  mediaId: number;
  frame: number;
  kind: 'box' | 'polygon' | 'keypoints' | 'tag';
  label: string;
  data: unknown;
  attributes: Record<string, unknown>;
  source: 'manual' | 'detector' | 'import';
  confidence: number | null;
  status: AnnotationStatus;
  createdBy: number | null;
  updatedAt: number;
  reviewedBy: number | null;
  reviewedAt: number | null;
}

export interface TrackBox {
  trackId: number;
  frame: number;
  box: { x: number; y: number; w: number; h: number };
  outside: boolean;
  occluded: boolean;
  keyframe: boolean;
  /** manual = a keyframe a person set; tracker = written by a track job; interpolated = computed on read. */
  source: 'manual' | 'tracker' | 'interpolated' | 'detector';
  confidence: number | null;
}

export interface Track {
  id: number;
  mediaId: number;
  label: string;
  attributes: Record<string, unknown>;
  status: AnnotationStatus;
  createdBy: number | null;
  createdAt: number;
  reviewedBy: number | null;
  reviewedAt: number | null;
}

export const labelSchema = z.object({
  classes: z
    .array(
      z.object({
        name: z.string().min(1),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must look like #rrggbb'),
        attributes: z
          .array(
            z.object({
              name: z.string().min(1),
              type: z.enum(['text', 'number', 'checkbox', 'select']),
              options: z.array(z.string()).optional(),
            }),
          )
          .default([]),
      }),
    )
    .min(1, 'a label schema needs at least one class'),
});
export type LabelSchema = z.infer<typeof labelSchema>;
