import type { LiveCatalog } from "./catalog/index.ts";
import type { CorpusSources } from "./corpus/sources/index.ts";
import type { DigestDefaults } from "./digest/digest-defaults.ts";
import type { DigestService } from "./digest/digest-service.ts";
import type { DigestScheduler } from "./schedule/index.ts";
import type { Store } from "./store/index.ts";

/** The core as commands see it: wired once in main.ts, shared by every platform. */
export interface Services {
  readonly catalog: LiveCatalog;
  /** The http(s) sources of CORPUS and how their fetches went. */
  readonly sources: CorpusSources;
  readonly store: Store;
  readonly digests: DigestService;
  readonly scheduler: DigestScheduler;
  readonly defaults: DigestDefaults;
  readonly now: () => Date;
}
