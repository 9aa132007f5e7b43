// ONNX Runtime peer: the same streaming loop as EdgeVoice's greedy recognizer over exported graphs
// (training/export_onnx.py), one thread, sequential execution.
//
//   node bench/onnx/stream.mjs <onnx dir> <features dir from dump_features.py> [rounds]
//
// Per utterance: encoder chunks of chunk_input_frames fbank frames (the last one zero-padded; its padded
// output frames are dropped: the encoder is causal), carrying the 7 states; greedy search with at most one
// symbol per frame, the decoder re-run after each emitted token. Timed: the whole loop after 20 warm-up
// utterances, the fastest of [rounds]; features are precomputed (EdgeVoice's timing also includes fbank).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ort = require(process.env.ORT_NODE ?? '/work/cache/onnx/node_modules/onnxruntime-node');
const [modelDir, featDir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 2);
const index = JSON.parse(fs.readFileSync(path.join(featDir, 'index.json'), 'utf8'));
const raw = fs.readFileSync(path.join(featDir, 'feats.f32'));
const feats = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const encoder = await ort.InferenceSession.create(path.join(modelDir, 'encoder.onnx'), options);
const decoder = await ort.InferenceSession.create(path.join(modelDir, 'decoder.onnx'), options);
const joiner = await ort.InferenceSession.create(path.join(modelDir, 'joiner.onnx'), options);
const { mel, blank_id: blank, context_size: contextSize, chunk_input_frames: chunk } = index;
const stateInputs = encoder.inputNames.slice(1);

function zeroStates(template) {
  const states = {};
  for (const name of stateInputs) {
    const t = template[name];
    states[name] = new ort.Tensor('float32', new Float32Array(t.size), t.dims);
  }
  return states;
}

async function decode(context) {
  const out = await decoder.run({ context: new ort.Tensor('int64', BigInt64Array.from(context.map(BigInt)), [1, contextSize]) });
  return out.dec_proj;
}

async function recognise(u, template) {
  let states = zeroStates(template);
  const start = index.offsets[u];
  const frames = index.frames[u];
  const context = new Array(contextSize).fill(blank);
  const tokens = [];
  let dec = await decode(context);
  for (let t0 = 0; t0 < frames; t0 += chunk) {
    const n = Math.min(chunk, frames - t0);
    const x = new Float32Array(chunk * mel);
    x.set(feats.subarray((start + t0) * mel, (start + t0 + n) * mel));
    const out = await encoder.run({ fbank: new ort.Tensor('float32', x, [1, chunk, mel]), ...states });
    const enc = out.enc_proj;
    const width = enc.dims[2];
    const valid = Math.ceil(Math.ceil(n / 2) / 2);
    states = {};
    stateInputs.forEach((name) => { states[name] = out[name + '_out']; });
    for (let f = 0; f < valid; f++) {
      const e = new ort.Tensor('float32', enc.data.subarray(f * width, (f + 1) * width), [1, width]);
      const logits = (await joiner.run({ enc_proj: e, dec_proj: dec })).logits.data;
      let best = 0;
      for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
      if (best !== blank) {
        tokens.push(best);
        context.shift();
        context.push(best);
        dec = await decode(context);
      }
    }
  }
  return tokens.map((k) => index.pieces[k]).join('').replaceAll('\u2581', ' ').trim();
}

// The 7 state shapes, written by training/export_onnx.py next to the graphs; every state starts at zero.
const shapes = JSON.parse(fs.readFileSync(path.join(modelDir, 'states.json'), 'utf8'));
const template = {};
for (const name of stateInputs) template[name] = { dims: shapes[name], size: shapes[name].reduce((a, b) => a * b, 1) };

const count = index.ids.length;
const audio = index.frames.reduce((a, b) => a + b, 0) / 100;
for (let u = 0; u < Math.min(20, count); u++) await recognise(u, template);
let best = Infinity;
let texts = [];
for (let r = 0; r < rounds; r++) {
  const t = process.hrtime.bigint();
  const out = [];
  for (let u = 0; u < count; u++) out.push(await recognise(u, template));
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  texts = out;
}
fs.writeFileSync(path.join(modelDir, 'hyps.json'), JSON.stringify(Object.fromEntries(index.ids.map((id, i) => [id, texts[i]]))));
console.log(`${modelDir}: ${count} utterances, ${audio.toFixed(1)} s of features; RTF ${(best / audio).toFixed(5)} (${best.toFixed(2)} s, best of ${rounds}); ort ${ort.env?.versions?.common ?? ''}`);
