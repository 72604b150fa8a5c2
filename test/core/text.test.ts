import { describe, expect, it } from "vitest";
import { plural } from "../../src/core/text.ts";

describe("plural", () => {
  it("uses the singular for exactly one, the plural otherwise", () => {
    expect(plural(1, "paper")).toBe("1 paper");
    expect(plural(2, "paper")).toBe("2 papers");
    expect(plural(0, "paper")).toBe("0 papers");
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "try", "tries")).toBe("1 try");
    expect(plural(3, "try", "tries")).toBe("3 tries");
  });
});
