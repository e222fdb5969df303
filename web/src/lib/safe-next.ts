/** Only same-origin absolute paths are allowed as post-login destinations (no open redirects). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/forgot-password') || next.startsWith('/reset-password')) return '/';
  return next;
}

export function loginPathFor(location: { pathname: string; search: string; hash?: string }): string {
  const current = `${location.pathname}${location.search}${location.hash ?? ''}`;
  if (current === '/' || current === '') return '/login';
  return `/login?next=${encodeURIComponent(current)}`;
}
