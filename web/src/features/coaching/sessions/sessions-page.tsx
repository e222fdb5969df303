/** Placeholder until the page lands. */
export function SessionsPage() {
  return null;
}
