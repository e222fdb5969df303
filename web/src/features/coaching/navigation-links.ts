import {
  IconCalendarEvent,
  IconChecklist,
  IconFileImport,
  IconFlask,
  IconNotes,
  IconSitemap,
  IconStairsUp,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';

export type CoachingLink = { to: string; label: string; icon: Icon; testId: string; exact?: boolean };

/** Sub-pages of the Coaching module, shown nested under its entry in the main navigation. */
export const COACHING_LINKS: CoachingLink[] = [
  { to: '/coaching', label: 'My team', icon: IconUsersGroup, testId: 'nav-co-team', exact: true },
  { to: '/coaching/sessions', label: 'Sessions', icon: IconCalendarEvent, testId: 'nav-co-sessions' },
  { to: '/coaching/notes', label: 'Quick notes', icon: IconNotes, testId: 'nav-co-notes' },
  { to: '/coaching/action-items', label: 'Action items', icon: IconChecklist, testId: 'nav-co-action-items' },
  { to: '/coaching/plans', label: 'Improvement plans', icon: IconStairsUp, testId: 'nav-co-plans' },
  { to: '/coaching/effectiveness', label: 'Effectiveness', icon: IconFlask, testId: 'nav-co-effectiveness' },
  { to: '/coaching/people', label: 'People', icon: IconSitemap, testId: 'nav-co-people' },
  { to: '/coaching/imports', label: 'Imports', icon: IconFileImport, testId: 'nav-co-imports' },
];
