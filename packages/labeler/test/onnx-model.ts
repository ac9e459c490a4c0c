/**
 * Writes a tiny ONNX model by hand (protobuf wire format) so the ONNX path is tested without downloading one: input
 * `images` [1,3,S,S], output `output0` = a constant [1, 4 + classes, anchors] tensor in the YOLOv8 layout.
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const vint = (field: number, n: number) => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: number[] | Uint8Array) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s)]);

function valueInfo(name: string, dims: number[]) {
  const shape = dims.flatMap((d) => bytes(1, vint(1, d)));
  const tensorType = [...vint(1, 1), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

export function constantYoloModel(inputSize: number, output: number[][]): Buffer {
  const rows = output.length;
  const anchors = output[0].length;
  const raw = Buffer.from(new Float32Array(output.flat()).buffer);
  const tensor = [...vint(1, 1), ...vint(1, rows), ...vint(1, anchors), ...vint(2, 1), ...bytes(9, raw)];
  const attr = [...str(1, 'value'), ...bytes(5, tensor), ...vint(20, 4)];
  const node = [...str(2, 'output0'), ...str(4, 'Constant'), ...bytes(5, attr)];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'g'),
    ...bytes(11, valueInfo('images', [1, 3, inputSize, inputSize])),
    ...bytes(12, valueInfo('output0', [1, rows, anchors])),
  ];
  const opset = [...str(1, ''), ...vint(2, 13)];
  return Buffer.from([...vint(1, 8), ...bytes(7, graph), ...bytes(8, opset)]);
}
