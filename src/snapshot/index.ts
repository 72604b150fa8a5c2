export { type CorpusFingerprint, INDEX_FORMAT_VERSION } from "./fingerprint.ts";
export {
  FINGERPRINT_FILE,
  IndexSnapshots,
  type IndexSnapshotsOptions,
  MIN_SNAPSHOT_PAPERS,
  SNAPSHOT_FILE,
  type SnapshotLog,
  type StartingPoint,
} from "./index-snapshots.ts";
export type { Restored } from "./snapshot-codec.ts";
