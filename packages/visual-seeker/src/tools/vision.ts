import { crop } from '../image/image.js';
import { runHuman } from './human-runtime.js';
import { type Region, regionFor, type Tool, type ToolInput, type ToolOutput } from './tool.js';

function toRegion(
  prefix: string,
  i: number,
  label: string,
  score: number,
  box: [number, number, number, number],
  dx: number,
  dy: number,
): Region {
  return {
    id: `${prefix}:${i + 1}`,
    label,
    score: Math.round(score * 100) / 100,
    box: {
      x: Math.round(box[0] + dx),
      y: Math.round(box[1] + dy),
      width: Math.round(box[2]),
      height: Math.round(box[3]),
    },
  };
}

/** detect_objects: COCO object detection (CenterNet in @vladmandic/human, wasm). Query: "" or a region id. */
export function detectObjectsTool(minScore = 0.25): Tool {
  return {
    name: 'detect_objects',
    description: 'detect COCO objects (people, animals, vehicles...) with boxes; query = "" or a region id',
    async run(input: ToolInput): Promise<ToolOutput> {
      const { box } = regionFor(input.query, input.regions, input.image);
      const sub = input.query.trim() ? crop(input.image, box) : input.image;
      const r = await runHuman(sub);
      const prefix = input.query.trim() ? `${input.query.trim()}/region` : 'region';
      const objects = r.object.filter((o) => o.score >= minScore).sort((a, b) => b.score - a.score);
      const regions = objects.map((o, i) => toRegion(prefix, i, o.label, o.score, o.box, box.x, box.y));
      const counts = new Map<string, number>();
      for (const o of objects) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
      return {
        text: regions.length
          ? `${regions.length} objects: ${[...counts].map(([l, n]) => `${n} ${l}`).join(', ')}\n${regions.map((x) => `${x.id} ${x.label} ${x.score} at ${x.box.x},${x.box.y} ${x.box.width}x${x.box.height}`).join('\n')}`
          : 'no objects detected',
        entities: [...counts.keys()],
        regions,
      };
    },
  };
}

/** detect_faces: face boxes with age, gender and emotion estimates (BlazeFace + FaceRes + emotion models). */
export function detectFacesTool(minScore = 0.3): Tool {
  return {
    name: 'detect_faces',
    description: 'find faces and estimate age, gender and emotion; query = "" or a region id',
    async run(input: ToolInput): Promise<ToolOutput> {
      const { box } = regionFor(input.query, input.regions, input.image);
      const sub = input.query.trim() ? crop(input.image, box) : input.image;
      const r = await runHuman(sub);
      const faces = r.face
        .filter((f) => f.score >= minScore)
        .sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])
        .map((f) => ({
          score: Math.round(f.score * 100) / 100,
          age: Math.round((f.age ?? 0) * 10) / 10,
          gender: f.gender ?? 'unknown',
          genderScore: Math.round((f.genderScore ?? 0) * 100) / 100,
          emotion: f.emotion?.[0]?.emotion ?? 'unknown',
          box: f.box,
        }));
      const regions = faces.map((f, i) =>
        toRegion('face', i, `face (${f.gender}, ~${Math.round(f.age)})`, f.score, f.box, box.x, box.y),
      );
      return {
        text: faces.length
          ? faces
              .map(
                (f, i) =>
                  `face:${i + 1} ${f.gender} (${f.genderScore}), age about ${Math.round(f.age)}, looks ${f.emotion}`,
              )
              .join('\n')
          : 'no faces found',
        entities: faces.map((f) => `${f.gender} face`),
        regions,
        details: { faces },
      };
    },
  };
}
