/** Placeholder until the page lands. */
export function AgentScorecardPage() {
  return null;
}
