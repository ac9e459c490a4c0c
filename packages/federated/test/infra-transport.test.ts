import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeFrame, encodeFrame, type Frame } from '../src/transport/frame.js';
import { Link } from '../src/transport/link.js';
import { Assembler, CHUNK_BYTES, sendMessage } from '../src/transport/message.js';
import { segmentsToWeights, weightsToSegments } from '../src/transport/weights.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Two object-mode streams wired to each other, carrying frames through their real binary encoding. */
function pipePair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (peer: () => Duplex) =>
    new Duplex({
      objectMode: true,
      read() {},
      write(frame: Frame, _enc, cb) {
        peer().push(decodeFrame(encodeFrame(frame)));
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
    });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}

describe('frames and chunked messages', () => {
  it('reassembles segments of any size, cut at chunk boundaries, byte for byte', async () => {
    const sizes = [0, 1, 7, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 12345, 0, 5];
    const segments = sizes.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 255));
    const frames: Frame[] = [];
    const sink = { write: (f: Frame) => frames.push(decodeFrame(encodeFrame(f))) > 0, once: () => undefined };
    await sendMessage(sink, 'blob', { hello: 'world' }, segments);
    assert.ok(frames.every((f) => (f.d?.byteLength ?? 0) <= CHUNK_BYTES));
    const asm = new Assembler();
    const done = frames.map((f) => asm.push(f)).filter(Boolean);
    assert.equal(done.length, 1);
    const msg = done[0];
    assert.deepEqual(msg?.meta, { hello: 'world' });
    assert.equal(msg?.segments.length, sizes.length);
    for (const [i, s] of (msg?.segments ?? []).entries()) assert.deepEqual(s, segments[i]);
  });

  it('round-trips float32 tensors, views included, and rejects a shape that does not match the data', () => {
    const big = new Float32Array(100).map((_, i) => i / 3);
    const w = {
      a: { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, Number.MAX_VALUE]) },
      b: { shape: [10], data: big.subarray(50, 60) },
    };
    const { tensors, segments } = weightsToSegments(w);
    const copy = segments.map((s) => new Uint8Array(s));
    const back = segmentsToWeights(tensors, copy);
    assert.deepEqual(back.a?.data, w.a.data);
    assert.deepEqual(back.b?.data, w.b.data);
    assert.throws(
      () => weightsToSegments({ x: { shape: [3, 3], data: new Float32Array(8) } }),
      /tensor "x": shape \[3,3\] holds 9 values but data has 8/,
    );
  });

  it('frees an answer as soon as it is consumed, not when its request timeout would have fired', async () => {
    const [x, y] = pipePair();
    const server = new Link(y);
    server.handle('model', () => ({ meta: {}, segments: [new Uint8Array(8 << 20)] }));
    const client = new Link(x);
    // In its own function so that no slot of this test's frame keeps the answer alive.
    const fetchOnce = async () => {
      const res = await client.request('model', {}, [], 3_600_000);
      assert.equal(res.segments[0]?.byteLength, 8 << 20);
      return new WeakRef((res.segments[0] as Uint8Array).buffer);
    };
    const ref = await fetchOnce();
    for (let i = 0; i < 5 && ref.deref(); i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    assert.equal(ref.deref(), undefined, 'the 8 MiB answer is still reachable after GC');
    client.close('done');
    server.close('done');
  });

  it('fails every pending request at once when the link closes', async () => {
    const [x, y] = pipePair();
    const server = new Link(y);
    server.handle('slow', () => new Promise(() => {}));
    const client = new Link(x);
    const pending = client.request('slow', {}, [], 0);
    setTimeout(() => server.close('peer crashed'), 20);
    await assert.rejects(pending, /connection closed/);
  });
});
