import type { IncomingMessage } from "node:http";

/** A file part of a multipart request, as Discord keeps it for the message's attachment. */
export interface UploadedFile {
  readonly id: string;
  readonly filename: string;
  readonly content_type: string;
  readonly size: number;
  /** The file's bytes as UTF-8 text, for tests to read (Discord would serve them from its CDN). */
  readonly text: string;
}

/** What a request's body turned out to be: an error Discord would answer, or the parsed body. */
export type ReadBody =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly problem: string };

/**
 * A request body as Discord's API reads it: JSON, or `multipart/form-data` with the JSON in the
 * `payload_json` part and each file in a `files[n]` part. Every `attachments[]` entry of the payload
 * (at its top, or in an interaction callback's `data`) must name an uploaded `files[id]`; it is
 * answered with that file's name, type, size and text, as a message's attachments are.
 */
export async function readBody(request: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return { ok: true, body: undefined };
  const raw = Buffer.concat(chunks);
  const type = request.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) return { ok: true, body: parseJson(raw.toString("utf8")) };
  // The platform's own multipart reader (undici's), as strict as a real server's.
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": type } }).formData();
  } catch (error) {
    return { ok: false, problem: `multipart body: ${(error as Error).message}` };
  }
  const files = new Map<string, UploadedFile>();
  for (const [field, value] of form.entries()) {
    const id = /^files\[(\d+)\]$/.exec(field)?.[1];
    if (id === undefined || typeof value === "string") continue;
    const bytes = Buffer.from(await value.arrayBuffer());
    files.set(id, {
      id,
      filename: value.name,
      content_type: value.type || "application/octet-stream",
      size: bytes.length,
      text: bytes.toString("utf8"),
    });
  }
  const payload = form.get("payload_json");
  const body = typeof payload === "string" ? parseJson(payload) : {};
  if (typeof body !== "object" || body === null) return { ok: false, problem: "payload_json is not JSON" };
  const holder = body as Record<string, unknown>;
  const target =
    typeof holder.data === "object" && holder.data !== null
      ? (holder.data as Record<string, unknown>)
      : holder;
  const listed = Array.isArray(target.attachments) ? (target.attachments as Record<string, unknown>[]) : [];
  const resolved: UploadedFile[] = [];
  for (const attachment of listed) {
    const file = files.get(String(attachment.id));
    if (!file) return { ok: false, problem: `attachments: no files[${String(attachment.id)}] part` };
    resolved.push({ ...file, filename: String(attachment.filename ?? file.filename) });
  }
  if (listed.length === 0 && files.size > 0) resolved.push(...files.values());
  target.attachments = resolved;
  return { ok: true, body };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
