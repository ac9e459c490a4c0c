import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type BufferMessage, claim, DONE, GEN, KIND, QUIT, UNIT_SIZE } from './protocol.js';
import { UnitRunner } from './unit-runner.js';

const { ctrlBuffer, port, index } = workerData as {
  ctrlBuffer: SharedArrayBuffer;
  port: MessagePort;
  index: number;
};
const ctrl = new Int32Array(ctrlBuffer);
const runner = new UnitRunner(index);
let seen = 0;

for (;;) {
  Atomics.wait(ctrl, GEN, seen);
  seen = Atomics.load(ctrl, GEN);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const msg = m.message as BufferMessage;
    const f32 = msg.precision === 'complex64';
    if (msg.home) runner.bindHome(msg.home);
    if (msg.re) runner.home = null;
    if (msg.re) runner.re = f32 ? new Float32Array(msg.re) : new Float64Array(msg.re);
    if (msg.im) runner.im = f32 ? new Float32Array(msg.im) : new Float64Array(msg.im);
    if (msg.job) runner.job = new Float64Array(msg.job);
    if (msg.terms) runner.terms = new Int32Array(msg.terms);
    if (msg.results) runner.results = new Float64Array(msg.results);
    if (msg.release) {
      runner.re = null;
      runner.im = null;
      runner.home = null;
    }
  }
  if (Atomics.load(ctrl, QUIT)) break;
  const kind = Atomics.load(ctrl, KIND);
  let unit = claim(ctrl, seen);
  if (unit < 0) continue;
  const total = Atomics.load(ctrl, 7);
  const unitSize = Atomics.load(ctrl, UNIT_SIZE);
  runner.decode(kind);
  while (unit >= 0) {
    const did = runner.run(kind, unit, unitSize, total);
    Atomics.add(ctrl, DONE, did);
    Atomics.notify(ctrl, DONE);
    unit = claim(ctrl, seen);
  }
}
port.close();
