/** Placeholder until the page lands. */
export function EffectivenessPage() {
  return null;
}
