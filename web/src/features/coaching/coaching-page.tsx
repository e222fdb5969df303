import { IconChartBar, IconClipboardList, IconMessageChatbot, IconStairsUp, IconTrendingUp, IconUsersGroup } from '@tabler/icons-react';
import { ModuleLanding, type ModuleCapability } from '../modules/module-landing';

const CAPABILITIES: ModuleCapability[] = [
  {
    icon: IconChartBar,
    title: 'Agent metrics',
    description: 'Handle time, first-contact resolution, CSAT, QA scores and adherence for every call-centre agent, per day and per week.',
  },
  {
    icon: IconUsersGroup,
    title: 'Composite scores',
    description: 'Metrics are blended into one weighted score per agent, so team leads see who needs support first without reading ten charts.',
  },
  {
    icon: IconMessageChatbot,
    title: 'Sessions with AI prep',
    description: 'Before a coaching session the AI prepares a brief: trends, example calls worth listening to and suggested talking points.',
  },
  {
    icon: IconClipboardList,
    title: 'Action items',
    description: 'Agreements from each session become action items with owners and due dates, checked at the next session.',
  },
  {
    icon: IconStairsUp,
    title: 'Improvement plans',
    description: 'Multi-week plans for agents who need structured help, with target metrics and milestones.',
  },
  {
    icon: IconTrendingUp,
    title: 'Effectiveness',
    description: 'Measures whether coaching works: metric changes after sessions, by coach, topic and plan.',
  },
];

export function CoachingPage() {
  return (
    <ModuleLanding
      moduleKey="coaching"
      summary="Helps call-centre team leads coach with evidence. Coaching turns agent metrics into composite scores, prepares each session with AI, tracks action items and improvement plans, and shows which coaching actually moves the numbers."
      audience={['Team leads', 'Call-centre managers', 'Quality assurance']}
      capabilities={CAPABILITIES}
      dataSources="Coaching fills up once agent metrics from your contact-centre platform are imported."
    />
  );
}
