import type { Paper } from "../../src/core/paper.ts";

/** A fixture paper; only what a test cares about needs saying. */
export function fixturePaper(fields: Partial<Paper> & { readonly id: string }): Paper {
  return {
    title: `Paper ${fields.id}`,
    abstract: `An abstract about ${fields.id}.`,
    authors: [],
    rank: 1,
    source: "fixture",
    ...fields,
  };
}

/** Titles and abstracts on clearly different subjects, so diversity has no reason to reorder them. */
export const DISTINCT_SUBJECTS: readonly { readonly title: string; readonly abstract: string }[] = [
  {
    title: "Protein folding with equivariant graph networks",
    abstract:
      "We predict protein structures from amino acid sequences using rotation equivariant message passing.",
  },
  {
    title: "Robotic grasping from tactile feedback",
    abstract:
      "A robot arm learns to grasp fragile objects using fingertip pressure sensors and reinforcement learning.",
  },
  {
    title: "Speech recognition for low-resource languages",
    abstract: "We transcribe spoken Yoruba and Quechua audio with self-supervised acoustic pretraining.",
  },
  {
    title: "Weather forecasting with neural operators",
    abstract:
      "Global precipitation and temperature forecasts ten days ahead from atmospheric reanalysis data.",
  },
  {
    title: "Compiler autotuning for tensor programs",
    abstract:
      "Search over loop tilings and vectorisation schedules for matrix multiplication kernels on GPUs.",
  },
  {
    title: "Molecule generation with diffusion",
    abstract:
      "Drug-like small molecules are sampled atom by atom with a denoising process over chemical bonds.",
  },
  {
    title: "Legal document summarisation",
    abstract:
      "Court rulings and contracts are condensed into short summaries that lawyers rated for faithfulness.",
  },
  {
    title: "Traffic simulation for autonomous driving",
    abstract: "Pedestrian and vehicle agents in city intersections are simulated to test self-driving cars.",
  },
];

export function distinctPaper(position: number, fields: Partial<Paper> & { readonly id: string }): Paper {
  const subject = DISTINCT_SUBJECTS[position % DISTINCT_SUBJECTS.length];
  if (subject === undefined) throw new Error("no subjects");
  return fixturePaper({ ...subject, ...fields });
}
