import packageJson from "../../../package.json" with { type: "json" };

/**
 * Who is asking, so a source's operator can tell us apart and reach us (arXiv asks API clients for
 * this). `contact` is a URL or an e-mail address; the package's homepage or repository when not given.
 */
export function userAgent(contact?: string): string {
  const meta = packageJson as { version?: string; homepage?: string; repository?: string | { url?: string } };
  const repository = typeof meta.repository === "string" ? meta.repository : meta.repository?.url;
  const reach = contact ?? meta.homepage ?? repository;
  const about = reach === undefined ? "research-paper digest bot" : `+${reach}`;
  return `paper-picks/${meta.version ?? "0"} (${about})`;
}
