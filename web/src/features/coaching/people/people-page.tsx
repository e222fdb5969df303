/** Placeholder until the page lands. */
export function PeoplePage() {
  return null;
}
