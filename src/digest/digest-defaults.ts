/** Defaults for a new digest or topic alert, from the environment. */
export interface DigestDefaults {
  /** HH:MM, local to `timezone`. */
  readonly time: string;
  /** An IANA zone (Area/City). */
  readonly timezone: string;
  /** Papers per digest. */
  readonly size: number;
}
