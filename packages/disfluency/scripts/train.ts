// Development entry point for training runs: node --import tsx scripts/train.ts [wait|lookahead] [steps]
import { DEFAULT_TRAIN, train } from '../src/train/train.js';

const kind = (process.argv[2] ?? 'wait') as 'wait' | 'lookahead';
const steps = Number(process.argv[3] ?? DEFAULT_TRAIN.steps);
const outDir = process.argv[4] ?? 'models';
const data = '../../../../shared/data/disfluency';
await train({
  ...DEFAULT_TRAIN,
  data: {
    fluent: new URL(`${data}/sgd_utterances.txt`, import.meta.url).pathname,
    disflQa: new URL(`${data}/disflqa_train.json`, import.meta.url).pathname,
  },
  outDir,
  name: kind,
  kind,
  steps,
  loss: kind === 'wait' ? DEFAULT_TRAIN.loss : { ...DEFAULT_TRAIN.loss, streamWeight: 0 },
});
