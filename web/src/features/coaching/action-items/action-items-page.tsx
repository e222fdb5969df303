/** Placeholder until the page lands. */
export function ActionItemsPage() {
  return null;
}
