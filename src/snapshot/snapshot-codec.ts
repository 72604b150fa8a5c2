import type { Catalog } from "../catalog/index.ts";
import { TopicMatchCache } from "../catalog/index.ts";
import type { Paper } from "../core/paper.ts";
import type { CorpusFile, CorpusLoadResult } from "../corpus/index.ts";
import type { Steps } from "../runtime/steps.ts";
import { SearchIndex } from "../search/index.ts";
import { type ImageMeta, imageFromSections, imageSections } from "./image-sections.ts";
import { decodePapers, encodePapersSteps, type PaperTableMeta } from "./paper-table.ts";
import { type Section, type SectionReader, SnapshotError, sectionOf } from "./sections.ts";

/**
 * A catalog and the corpus load it was built from, as sections: one table of every Paper object
 * either of them holds (each once), and the lists of the index, of the corpus and of each file as
 * positions in it, so that a paper shared by the index, the corpus and a file is one object again
 * once read back, as live merges expect (they compare papers by identity first).
 */
export interface SnapshotMeta {
  readonly papers: PaperTableMeta;
  readonly index: ImageMeta;
  readonly loadedAt: string;
  readonly warnings: readonly string[];
  readonly files: ReadonlyArray<Omit<CorpusFile, "papers">>;
}

export interface Restored {
  readonly corpus: CorpusLoadResult;
  readonly catalog: Catalog;
}

/** The sections of `catalog`, or undefined when its index is not one segment (see SearchIndex.image). */
export function* encodeSnapshotSteps(
  catalog: Catalog,
  corpus: CorpusLoadResult,
): Steps<{ meta: SnapshotMeta; sections: Section[] } | undefined> {
  const indexed = catalog.index.image();
  if (indexed === undefined) return undefined;
  const table: Paper[] = [];
  const positions = new Map<Paper, number>();
  const positionsOf = function* (papers: readonly Paper[]): Steps<Uint32Array> {
    const list = new Uint32Array(papers.length);
    for (let i = 0; i < papers.length; i++) {
      if (i % 1024 === 1023) yield;
      const paper = papers[i] as Paper;
      let at = positions.get(paper);
      if (at === undefined) {
        at = table.length;
        positions.set(paper, at);
        table.push(paper);
      }
      list[i] = at;
    }
    return list;
  };
  const lists: Section[] = [
    sectionOf("list.index", yield* positionsOf(indexed.papers)),
    sectionOf("list.corpus", yield* positionsOf(catalog.papers)),
  ];
  for (const [f, file] of corpus.files.entries())
    lists.push(sectionOf(`list.file.${f}`, yield* positionsOf(file.papers)));
  const papers = yield* encodePapersSteps(table);
  const image = imageSections(indexed.image);
  return {
    meta: {
      papers: papers.meta,
      index: image.meta,
      loadedAt: catalog.loadedAt.toISOString(),
      warnings: corpus.warnings,
      files: corpus.files.map(({ papers: _, ...file }) => file),
    },
    sections: [...papers.sections, ...image.sections, ...lists],
  };
}

/** The corpus load and catalog back; throws a SnapshotError on anything that does not fit. */
export function decodeSnapshot(meta: SnapshotMeta, sections: SectionReader): Restored {
  if (
    meta === null ||
    typeof meta !== "object" ||
    !Array.isArray(meta.files) ||
    !Array.isArray(meta.warnings)
  )
    throw new SnapshotError("snapshot meta is malformed");
  const table = decodePapers(meta.papers, sections);
  const listOf = (name: string): Paper[] => {
    const positions = sections.u32(name);
    const papers = new Array<Paper>(positions.length);
    for (let i = 0; i < positions.length; i++) {
      const paper = table[positions[i] as number];
      if (paper === undefined) throw new SnapshotError(`${name} names a paper out of range`);
      papers[i] = paper;
    }
    return papers;
  };
  const indexPapers = listOf("list.index");
  const papers = listOf("list.corpus");
  const files: CorpusFile[] = meta.files.map((file, f) => ({ ...file, papers: listOf(`list.file.${f}`) }));
  const loadedAt = new Date(meta.loadedAt);
  if (Number.isNaN(loadedAt.getTime())) throw new SnapshotError("load time is malformed");
  const index = SearchIndex.fromImage(
    imageFromSections(meta.index, sections, indexPapers.length),
    indexPapers,
  );
  const catalog: Catalog = {
    papers,
    byId: new Map(papers.map((paper) => [paper.id, paper])),
    index,
    topics: new TopicMatchCache(index),
    loadedAt,
  };
  return { corpus: { papers, files, warnings: meta.warnings.map(String) }, catalog };
}
