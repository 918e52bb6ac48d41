// Weights move between this library and PyTorch (issue 17): a cell file written here loads into torch.nn.LSTM /
// nn.GRU by the recipe in pytorchLayout.ts and gives the library's outputs; a PyTorch module written by the reverse
// recipe loads here and gives PyTorch's outputs (float64, to 1e-12). Runs where /usr/bin/python3 imports torch
// (Debian's python3-torch); the rest of the suite needs no PyTorch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatedCell, gatedForward, loadGatedCell, Rng, saveGatedCell } from '../../lib/src/index.js';

const torchReady = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
const peer = join(dirname(fileURLToPath(import.meta.url)), 'torch_gated_peer.py');

for (const kind of ['lstm', 'gru'] as const) {
  test(`${kind}: a file written here runs in torch.nn.${kind === 'lstm' ? 'LSTM' : 'GRU'} with our outputs, and a PyTorch module's file runs here with its outputs`, { skip: !torchReady && 'python3 cannot import torch (install Debian\'s python3-torch)' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-torch-'));
    try {
      const [T, B, I, H] = [6, 3, 2, 5];
      const cell = createGatedCell({ kind, inputSize: I, hiddenSize: H, seed: 3 });
      const rng = Rng.stream(1, 'interchange');
      const inputs = Float64Array.from({ length: T * B * I }, () => rng.uniform(-1, 1));
      saveGatedCell(cell, join(dir, 'ours.json'));
      writeFileSync(join(dir, 'inputs.json'), JSON.stringify(Array.from({ length: T }, (_, t) => Array.from({ length: B }, (_, b) => Array.from(inputs.subarray((t * B + b) * I, (t * B + b + 1) * I))))));
      const run = spawnSync('/usr/bin/python3', [peer, join(dir, 'ours.json'), join(dir, 'inputs.json'), join(dir, 'theirs.json')], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { loaded_outputs: number[][][]; fresh_outputs: number[][][] };
      const compare = (hs: Float64Array, torchOut: number[][][]) => {
        let worst = 0;
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) worst = Math.max(worst, Math.abs(hs[(t + 1) * B * H + b * H + j] - torchOut[t][b][j]));
        return worst;
      };
      const ours = compare(gatedForward(cell, inputs, B).h, out.loaded_outputs);
      const theirs = compare(gatedForward(loadGatedCell(join(dir, 'theirs.json')), inputs, B).h, out.fresh_outputs);
      console.log(`${kind}: largest output difference, our file in PyTorch ${ours.toExponential(1)}, PyTorch's file here ${theirs.toExponential(1)}`);
      assert.ok(ours < 1e-12 && theirs < 1e-12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
