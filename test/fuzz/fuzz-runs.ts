import type { Parameters } from "fast-check";

/**
 * Every fuzz suite runs with a fixed seed, so a failure in CI is the same failure on a laptop.
 * FUZZ_SEED=<n> explores other inputs (fast-check prints the seed and path of any failure it
 * finds, to paste back here as `seed` and `path`).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261207);

export function fuzzRuns<T>(numRuns: number): Parameters<T> {
  return { seed: FUZZ_SEED, numRuns };
}
