import { describe, expect, it } from "vitest";
import { ScratchArray } from "../../src/search/scratch-array.ts";

function fill(scratch: ScratchArray<Uint32Array<ArrayBuffer>>, count: number): void {
  for (let i = 0; i < count; i++) scratch.reserve(i + 1)[i] = i * 3 + 1;
}

function expectFilled(array: Uint32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    if (array[i] !== i * 3 + 1) expect.fail(`element ${i} is ${array[i]}, expected ${i * 3 + 1}`);
  }
}

describe("ScratchArray", () => {
  it("starts zero-filled at the asked length", () => {
    const scratch = new ScratchArray(Uint16Array, 10);
    expect(scratch.array).toHaveLength(10);
    expect([...scratch.array].every((value) => value === 0)).toBe(true);
  });

  it("keeps what was written while it grows", () => {
    const scratch = new ScratchArray(Uint32Array, 4);
    fill(scratch, 200_000);
    expect(scratch.array.length).toBeGreaterThanOrEqual(200_000);
    expectFilled(scratch.array, 200_000);
    expect(scratch.array[200_000]).toBe(0);
  });

  it("still grows, keeping its contents, past the space it reserved", () => {
    const scratch = new ScratchArray(Uint32Array, 4, 100);
    fill(scratch, 50_000);
    expectFilled(scratch.array, 50_000);
  });

  it("is empty after release and can be used again", () => {
    const scratch = new ScratchArray(Uint32Array, 1000);
    fill(scratch, 1000);
    scratch.release();
    expect(scratch.array).toHaveLength(0);
    fill(scratch, 100);
    expectFilled(scratch.array, 100);
  });
});
