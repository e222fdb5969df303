/** Placeholder until the page lands. */
export function SessionPage() {
  return null;
}
