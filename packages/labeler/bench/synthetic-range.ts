import { CHALLENGES, type Challenge } from '../src/synthetic/index.js';

/**
 * The class and seed range a per-video script runs on, from CLASS (plain, scale, rotation, lighting, blur,
 * occlusion, exit or hard: every challenge at once, the default) and SEEDS (a range like 101-164).
 */
export function syntheticRange(defaultSeeds: string): {
  name: string;
  challenges: Challenge[];
  first: number;
  last: number;
} {
  const name = process.env.CLASS ?? 'hard';
  const classes = ['plain', 'hard', ...CHALLENGES];
  if (!classes.includes(name)) throw new Error(`CLASS must be one of ${classes.join(', ')}; got ${name}`);
  const challenges: Challenge[] =
    name === 'hard' ? [...CHALLENGES] : name === 'plain' ? [] : [name as Challenge];
  const range = process.env.SEEDS ?? defaultSeeds;
  const match = /^(\d+)-(\d+)$/.exec(range);
  if (!match || Number(match[1]) > Number(match[2]))
    throw new Error(`SEEDS must be a range like ${defaultSeeds}; got ${range}`);
  return { name, challenges, first: Number(match[1]), last: Number(match[2]) };
}
