/**
 * Two small trainers for a linear model over sparse features (a paper's index terms and categories):
 * the L2-regularised squared-hinge SVM that scikit-learn's LinearSVC fits (arxiv-sanity-lite's per-user
 * model), by LIBLINEAR's dual coordinate descent, and L2-regularised logistic regression, by accelerated
 * gradient descent. Written here because the npm libraries for either (ml-svm, libsvm-js,
 * ml-logistic-regression) take dense rows: one column per index term is some 10⁵ columns at 100k papers.
 *
 * Both are deterministic: the same examples in the same order give the same weights. A constant bias
 * feature is fitted (and regularised, as LIBLINEAR's is) but not returned: ranking never needs it.
 */

export interface Example {
  /** Feature -> value; see SearchIndex.paperVector. */
  readonly features: ReadonlyMap<string, number>;
  readonly label: 1 | -1;
  /** This example's misclassification cost (C × its class weight). */
  readonly cost: number;
}

export type LinearModelKind = "svm" | "logistic";

/** Sweeps over the examples at most; both stop earlier once the weights settle. */
const SVM_SWEEPS = 60;
const SVM_TOLERANCE = 1e-3;
const LOGISTIC_STEPS = 150;
const LOGISTIC_TOLERANCE = 1e-5;

interface Interned {
  readonly keys: readonly string[];
  readonly rows: ReadonlyArray<{ readonly index: Int32Array; readonly value: Float64Array }>;
}

/** Feature -> weight of the fitted model, without zero weights. */
export function trainLinear(kind: LinearModelKind, examples: readonly Example[]): Map<string, number> {
  const interned = intern(examples);
  const weights = kind === "svm" ? fitSvm(interned, examples) : fitLogistic(interned, examples);
  const model = new Map<string, number>();
  interned.keys.forEach((key, k) => {
    const weight = weights[k] ?? 0;
    if (k > 0 && weight !== 0) model.set(key, weight);
  });
  return model;
}

/** Gives every feature a column; column 0 is the bias, 1 in every row. */
function intern(examples: readonly Example[]): Interned {
  const columns = new Map<string, number>([["", 0]]);
  const keys: string[] = [""];
  const rows = examples.map(({ features }) => {
    const index = new Int32Array(features.size + 1);
    const value = new Float64Array(features.size + 1);
    value[0] = 1;
    let i = 1;
    for (const [key, x] of features) {
      let column = columns.get(key);
      if (column === undefined) {
        column = keys.length;
        columns.set(key, column);
        keys.push(key);
      }
      index[i] = column;
      value[i] = x;
      i++;
    }
    return { index, value };
  });
  return { keys, rows };
}

function dot(weights: Float64Array, row: Interned["rows"][number]): number {
  let sum = 0;
  for (let i = 0; i < row.index.length; i++) sum += (weights[row.index[i] ?? 0] ?? 0) * (row.value[i] ?? 0);
  return sum;
}

/**
 * min ½‖w‖² + Σ Cᵢ max(0, 1 − yᵢ w·xᵢ)², by dual coordinate descent (Hsieh et al., ICML 2008): each
 * step solves one dual variable exactly, so a few dozen sweeps reach LIBLINEAR's default tolerance.
 */
function fitSvm({ keys, rows }: Interned, examples: readonly Example[]): Float64Array {
  const w = new Float64Array(keys.length);
  const alpha = new Float64Array(rows.length);
  const diagonal = examples.map((example) => 1 / (2 * example.cost));
  const q = rows.map((row, i) => {
    let sum = diagonal[i] ?? 0;
    for (const x of row.value) sum += x * x;
    return sum;
  });
  for (let sweep = 0; sweep < SVM_SWEEPS; sweep++) {
    let largest = 0;
    for (const [i, row] of rows.entries()) {
      const y = examples[i]?.label ?? 1;
      const a = alpha[i] ?? 0;
      const gradient = y * dot(w, row) - 1 + (diagonal[i] ?? 0) * a;
      const projected = a === 0 ? Math.min(gradient, 0) : gradient;
      largest = Math.max(largest, Math.abs(projected));
      if (projected === 0) continue;
      const next = Math.max(a - gradient / (q[i] ?? 1), 0);
      alpha[i] = next;
      const step = (next - a) * y;
      for (let j = 0; j < row.index.length; j++) {
        const column = row.index[j] ?? 0;
        w[column] = (w[column] ?? 0) + step * (row.value[j] ?? 0);
      }
    }
    if (largest < SVM_TOLERANCE) break;
  }
  return w;
}

/**
 * min ½‖w‖² + Σ Cᵢ log(1 + exp(−yᵢ w·xᵢ)), by Nesterov's accelerated gradient with the step 1/L of the
 * loss's smoothness bound L = 1 + ¼ Σ Cᵢ‖xᵢ‖².
 */
function fitLogistic({ keys, rows }: Interned, examples: readonly Example[]): Float64Array {
  let smoothness = 1;
  for (const [i, row] of rows.entries()) {
    let norm = 0;
    for (const x of row.value) norm += x * x;
    smoothness += 0.25 * (examples[i]?.cost ?? 0) * norm;
  }
  const step = 1 / smoothness;
  let w = new Float64Array(keys.length);
  let previous = new Float64Array(keys.length);
  const lookahead = new Float64Array(keys.length);
  const gradient = new Float64Array(keys.length);
  for (let t = 1; t <= LOGISTIC_STEPS; t++) {
    const momentum = (t - 1) / (t + 2);
    for (let k = 0; k < w.length; k++)
      lookahead[k] = (w[k] ?? 0) + momentum * ((w[k] ?? 0) - (previous[k] ?? 0));
    gradient.set(lookahead);
    for (const [i, row] of rows.entries()) {
      const { label, cost } = examples[i] ?? { label: 1, cost: 0 };
      const margin = label * dot(lookahead, row);
      const factor = (-label * cost) / (1 + Math.exp(margin));
      for (let j = 0; j < row.index.length; j++) {
        const column = row.index[j] ?? 0;
        gradient[column] = (gradient[column] ?? 0) + factor * (row.value[j] ?? 0);
      }
    }
    let change = 0;
    const next = previous;
    for (let k = 0; k < w.length; k++) {
      next[k] = (lookahead[k] ?? 0) - step * (gradient[k] ?? 0);
      change = Math.max(change, Math.abs((next[k] ?? 0) - (w[k] ?? 0)));
    }
    previous = w;
    w = next;
    if (change < LOGISTIC_TOLERANCE) break;
  }
  return w;
}
