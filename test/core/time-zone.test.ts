import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isValidTimeZone } from "../../src/core/time-zone.ts";

describe("isValidTimeZone", () => {
  test("knows IANA zones and refuses made-up ones", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("+02:00")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone(null)).toBe(false);
  });

  test("accepts every named zone this Node's ICU lists", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones.length).toBeGreaterThan(300);
    expect(zones.filter((zone) => !isValidTimeZone(zone))).toEqual([]);
  });

  test("refuses every fixed offset, on every Node (newer ICU would take them)", () => {
    const twoDigits = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const offset = fc
      .tuple(fc.constantFrom("+", "-", "\u2212"), twoDigits(23), fc.constantFrom("", ":", "."), twoDigits(59))
      .chain(([sign, hours, separator, minutes]) =>
        fc.constantFrom(`${sign}${hours}`, `${sign}${hours}${separator}${minutes}`),
      );
    fc.assert(
      fc.property(offset, (zone) => !isValidTimeZone(zone)),
      { numRuns: 2000 },
    );
  });

  test("never throws, whatever text it is given", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        expect(typeof isValidTimeZone(text)).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});
