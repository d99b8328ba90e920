// run.js runs ONNX models in ONNX Runtime (onnxruntime-node) on inputs
// stored as raw little-endian numbers, for model/onnx_runtime_test.go:
//
//   node run.js MODEL INPUT OUTPUT TYPE SHAPE [MODEL INPUT OUTPUT TYPE SHAPE ...]
//
// TYPE is float32 or float64, SHAPE the input's shape as 10000x1x28x28.
// Each model's outputs, in graph order, are written one after the other to
// its OUTPUT as raw little-endian numbers of the same type. Standard output
// gets one JSON array with, for each model, the names, types and shapes of
// its outputs. Several models share one start of Node.js and the runtime.
'use strict';
const fs = require('node:fs');
const ort = require('onnxruntime-node');

const arrays = { float32: Float32Array, float64: Float64Array };

async function run(model, input, output, type, shape) {
  const TypedArray = arrays[type];
  if (!TypedArray) {
    throw new Error(`type ${type}: want float32 or float64`);
  }
  const dims = shape.split('x').map(Number);
  const buf = fs.readFileSync(input);
  // A copy, so that the data starts on an 8-byte boundary.
  const data = new TypedArray(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const session = await ort.InferenceSession.create(model);
  const results = await session.run({ [session.inputNames[0]]: new ort.Tensor(type, data, dims) });
  const out = fs.openSync(output, 'w');
  const info = [];
  for (const name of session.outputNames) {
    const t = results[name];
    fs.writeSync(out, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    info.push({ name, type: t.type, dims: t.dims });
  }
  fs.closeSync(out);
  await session.release();
  return info;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 5 !== 0) {
    throw new Error('usage: node run.js MODEL INPUT OUTPUT TYPE SHAPE [MODEL INPUT OUTPUT TYPE SHAPE ...]');
  }
  const all = [];
  for (let i = 0; i < args.length; i += 5) {
    try {
      all.push(await run(...args.slice(i, i + 5)));
    } catch (err) {
      throw new Error(`${args[i]}: ${err.message || err}`);
    }
  }
  console.log(JSON.stringify(all));
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
