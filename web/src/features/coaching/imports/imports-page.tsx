/** Placeholder until the page lands. */
export function CoachingImportsPage() {
  return null;
}
