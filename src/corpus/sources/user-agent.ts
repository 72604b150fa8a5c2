import packageJson from "../../../package.json" with { type: "json" };

/**
 * Who is asking, so a source's operator can tell us apart and reach us (arXiv asks API clients for
 * this): `paper-picks/0.1.0 (research-paper digest bot; +https://example.org/bot)`. `contact` is
 * SOURCE_CONTACT, a URL or an e-mail address; without it, the package's homepage or repository if it
 * names one.
 */
export function userAgent(contact?: string): string {
  const meta = packageJson as { version?: string; homepage?: string; repository?: string | { url?: string } };
  const repository = typeof meta.repository === "string" ? meta.repository : meta.repository?.url;
  const reach = contact ?? meta.homepage ?? repository;
  // The "+" marks a URL to visit, as crawlers write it; an e-mail address stands as it is.
  const where = reach === undefined ? "" : `; ${isEmailAddress(reach) ? reach : `+${reach}`}`;
  return `paper-picks/${meta.version ?? "0"} (research-paper digest bot${where})`;
}

// What can stand inside a User-Agent comment: printable ASCII, no space, no parenthesis to end it early.
const HEADER_SAFE = /^[\x21-\x27\x2A-\x7E]+$/;
const EMAIL_ADDRESS = /^[^@]+@[^@.]+(?:\.[^@.]+)+$/;

function isEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text);
}

/** True for an e-mail address or an http(s) URL that fits in a User-Agent header. */
export function isSourceContact(text: string): boolean {
  if (!HEADER_SAFE.test(text)) return false;
  if (isEmailAddress(text)) return true;
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
}
