/** The small part of citation-js the exports (and their tests) use; the package ships no types. */
declare module "@citation-js/core" {
  type RisEntry = Record<string, string | number | (string | number)[]>;
  export class Cite {
    constructor(data: string | readonly object[], options?: { readonly forceType?: string });
    format(format: "data" | "bibtex", options?: { readonly format?: "text" }): string;
  }
  export const plugins: {
    readonly output: {
      /** An output plugin run on CSL-JSON items as they are, without Cite's input parsing. */
      format(name: "ris", data: readonly object[], options: { readonly format: "object" }): RisEntry[];
      format(name: "data", data: readonly object[], options: { readonly format: "text" }): string;
    };
  };
}
declare module "@citation-js/plugin-ris";
declare module "@citation-js/plugin-bibtex";
