/**
 * Gated cells to and from a JSON file in PyTorch's layout, so that a cell trained here loads into `torch.nn.LSTM` /
 * `torch.nn.GRU` (one layer, unidirectional, batch_first = False) and back:
 *
 *   { "format": "rnnlab-gated-cell/1", "module": "torch.nn.LSTM", "input_size": I, "hidden_size": H,
 *     "state_dict": { "weight_ih_l0": [[…] × G·H], "weight_hh_l0": [[…] × G·H], "bias_ih_l0": […], "bias_hh_l0": […] } }
 *
 * Into PyTorch (Python):
 *   d = json.load(open(path)); m = getattr(torch.nn, d["module"].split(".")[-1])(d["input_size"], d["hidden_size"]).double()
 *   m.load_state_dict({k: torch.tensor(v, dtype=torch.float64) for k, v in d["state_dict"].items()})
 * Out of PyTorch: json.dump({"module": "torch.nn.GRU", "input_size": I, "hidden_size": H,
 *   "state_dict": {k: v.tolist() for k, v in m.state_dict().items()}}, f); "format" may be left out.
 */
import { readTextFile, writeFileAtomic } from '../../io/atomic.js';
import { ParameterError } from '../../numerics/validate.js';
import { GATE_COUNT, validateGatedCell, type GatedCell, type GatedCellKind, type GatedParams } from './gatedCell.js';

export const GATED_FILE_FORMAT = 'rnnlab-gated-cell/1';
const MODULES: Record<string, GatedCellKind> = { 'torch.nn.LSTM': 'lstm', 'torch.nn.GRU': 'gru' };
const KEYS: Record<string, keyof GatedParams> = { weight_ih_l0: 'weightIh', weight_hh_l0: 'weightHh', bias_ih_l0: 'biasIh', bias_hh_l0: 'biasHh' };
const GATE_NAMES: Record<GatedCellKind, string> = { lstm: 'i, f, g, o', gru: 'r, z, n' };

export interface GatedCellFile {
  format: typeof GATED_FILE_FORMAT;
  module: 'torch.nn.LSTM' | 'torch.nn.GRU';
  input_size: number;
  hidden_size: number;
  state_dict: Record<string, number[] | number[][]>;
}

/** The cell as a PyTorch state dict (matrices as lists of rows). */
export function gatedCellToFile(cell: GatedCell): GatedCellFile {
  validateGatedCell(cell);
  const rows = (a: Float64Array, cols: number) => Array.from({ length: a.length / cols }, (_, r) => Array.from(a.subarray(r * cols, (r + 1) * cols)));
  const { weightIh, weightHh, biasIh, biasHh } = cell.params;
  return {
    format: GATED_FILE_FORMAT,
    module: cell.kind === 'lstm' ? 'torch.nn.LSTM' : 'torch.nn.GRU',
    input_size: cell.inputSize,
    hidden_size: cell.hiddenSize,
    state_dict: { weight_ih_l0: rows(weightIh, cell.inputSize), weight_hh_l0: rows(weightHh, cell.hiddenSize), bias_ih_l0: Array.from(biasIh), bias_hh_l0: Array.from(biasHh) },
  };
}

/** A cell from a PyTorch-layout object; wrong module, gate count, shape, extra layers or a NaN weight are named. */
export function gatedCellFromFile(file: unknown): GatedCell {
  if (typeof file !== 'object' || file === null) throw new ParameterError('file', `expected an object, got ${file === null ? 'null' : typeof file}`);
  const f = file as Partial<GatedCellFile>;
  if (f.format !== undefined && f.format !== GATED_FILE_FORMAT) throw new ParameterError('file.format', `expected '${GATED_FILE_FORMAT}' or none, got ${JSON.stringify(f.format)}`);
  const kind = MODULES[f.module as string];
  if (!kind) throw new ParameterError('file.module', `expected one of ${Object.keys(MODULES).join(', ')}, got ${JSON.stringify(f.module)}`);
  for (const key of ['input_size', 'hidden_size'] as const) {
    if (!Number.isInteger(f[key]) || (f[key] as number) < 1) throw new ParameterError(`file.${key}`, `expected an integer ≥ 1, got ${JSON.stringify(f[key])}`);
  }
  const [I, H] = [f.input_size!, f.hidden_size!];
  const G = GATE_COUNT[kind];
  const dict = f.state_dict;
  if (typeof dict !== 'object' || dict === null) throw new ParameterError('file.state_dict', 'missing');
  for (const key of Object.keys(dict)) {
    if (!(key in KEYS)) throw new ParameterError(`file.state_dict.${key}`, `unexpected: one layer, unidirectional, with biases has exactly ${Object.keys(KEYS).join(', ')}`);
  }
  const params = {} as GatedParams;
  for (const [key, name] of Object.entries(KEYS)) {
    const value = dict[key];
    const where = `file.state_dict.${key}`;
    if (!Array.isArray(value)) throw new ParameterError(where, 'missing (a model without biases cannot be loaded)');
    if (value.length % H !== 0 || value.length / H !== G) {
      throw new ParameterError(where, `expected ${G} gate blocks (${GATE_NAMES[kind]}) of H = ${H} rows = ${G * H}, got ${value.length} rows${value.length % H === 0 ? ` (${value.length / H} blocks: is this the other cell?)` : ''}`);
    }
    const cols = name === 'weightIh' ? I : name === 'weightHh' ? H : 0;
    const flat = new Float64Array(G * H * Math.max(cols, 1));
    value.forEach((row, r) => {
      if (cols === 0) {
        if (typeof row !== 'number') throw new ParameterError(`${where}[${r}]`, `expected a number, got ${JSON.stringify(row)}`);
        flat[r] = row;
      } else {
        if (!Array.isArray(row) || row.length !== cols) throw new ParameterError(`${where}[${r}]`, `expected a row of ${cols} numbers, got ${Array.isArray(row) ? row.length : typeof row}`);
        row.forEach((v, k) => {
          // JSON has no NaN or Infinity: PyTorch's json.dump writes them as NaN/Infinity tokens, which JSON.parse refuses.
          if (typeof v !== 'number') throw new ParameterError(`${where}[${r}][${k}]`, `expected a number, got ${JSON.stringify(v)}`);
          flat[r * cols + k] = v;
        });
      }
    });
    params[name] = flat;
  }
  const cell: GatedCell = { kind, inputSize: I, hiddenSize: H, params };
  validateGatedCell(cell);
  return cell;
}

/** Writes the cell's PyTorch-layout JSON atomically (a crash mid-write leaves the old file). */
export function saveGatedCell(cell: GatedCell, path: string): void {
  writeFileAtomic(path, JSON.stringify(gatedCellToFile(cell)) + '\n');
}

/** Reads a PyTorch-layout JSON; any failure names the path and the field. */
export function loadGatedCell(path: string): GatedCell {
  const text = readTextFile(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ParameterError('path', `${path} is not JSON (${(err as Error).message})`);
  }
  try {
    return gatedCellFromFile(parsed);
  } catch (err) {
    if (err instanceof ParameterError) throw new ParameterError(err.parameter, `${path}: ${err.message.slice(err.parameter.length + 2)}`);
    throw err;
  }
}
