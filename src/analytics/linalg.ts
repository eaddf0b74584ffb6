/** Small dense linear algebra: weighted ridge least squares through the normal equations and Cholesky. */

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix (row-major), or undefined. */
export function cholesky(a: readonly number[], p: number): number[] | undefined {
  const l = new Array<number>(p * p).fill(0);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[i * p + k] ?? 0) * (l[j * p + k] ?? 0);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / (l[j * p + j] ?? 1);
      }
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for a Cholesky factor L. */
export function choleskySolve(l: readonly number[], p: number, b: readonly number[]): number[] {
  const y = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i * p + k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / (l[i * p + i] ?? 1);
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < p; k++) sum -= (l[k * p + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (l[i * p + i] ?? 1);
  }
  return x;
}

/**
 * Minimises Σ wᵢ (yᵢ − xᵢ·β)² + Σ λⱼ βⱼ² by solving (XᵀWX + Λ) β = XᵀWy with Cholesky.
 * If the system is not positive definite (collinear columns without penalty), a small jitter is added.
 */
export function ridgeSolve(
  rows: readonly (readonly number[])[],
  y: readonly number[],
  weights: readonly number[],
  penalty: readonly number[],
): number[] {
  const p = penalty.length;
  const a = new Array<number>(p * p).fill(0);
  const b = new Array<number>(p).fill(0);
  for (let r = 0; r < rows.length; r++) {
    const x = rows[r];
    const w = weights[r] ?? 1;
    if (!x || w === 0) continue;
    const yr = y[r] ?? 0;
    for (let i = 0; i < p; i++) {
      const xi = x[i] ?? 0;
      if (xi === 0) continue;
      const wxi = w * xi;
      b[i] = (b[i] ?? 0) + wxi * yr;
      for (let j = 0; j <= i; j++) a[i * p + j] = (a[i * p + j] ?? 0) + wxi * (x[j] ?? 0);
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) a[j * p + i] = a[i * p + j] ?? 0;
    a[i * p + i] = (a[i * p + i] ?? 0) + (penalty[i] ?? 0);
  }
  let jitter = 1e-10;
  for (let attempt = 0; attempt < 12; attempt++) {
    const l = cholesky(a, p);
    if (l) return choleskySolve(l, p, b);
    for (let i = 0; i < p; i++) a[i * p + i] = (a[i * p + i] ?? 0) + jitter;
    jitter *= 10;
  }
  return new Array<number>(p).fill(0);
}

/** Dot product of a row and a coefficient vector. */
export function dot(x: readonly number[], beta: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] ?? 0) * (beta[i] ?? 0);
  return s;
}

/** Median of a list (NaN for an empty list). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated sample quantile, q in [0, 1] (NaN for an empty list). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

/** Arithmetic mean (NaN for an empty list). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
