/** A CORPUS entry that names a live source rather than a file, folder or glob. */
export function isSourceUrl(entry: string): boolean {
  return /^https?:\/\//i.test(entry.trim()) && URL.canParse(entry.trim());
}
