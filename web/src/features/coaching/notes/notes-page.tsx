/** Placeholder until the page lands. */
export function NotesPage() {
  return null;
}
