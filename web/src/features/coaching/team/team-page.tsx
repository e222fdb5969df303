/** Placeholder until the page lands. */
export function TeamPage() {
  return null;
}
