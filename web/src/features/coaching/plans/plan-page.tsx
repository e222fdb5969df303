/** Placeholder until the page lands. */
export function PlanPage() {
  return null;
}
