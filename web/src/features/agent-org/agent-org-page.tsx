import { IconClockHour4, IconRobot, IconRoute, IconSpeakerphone, IconTarget, IconWallet } from '@tabler/icons-react';
import { ModuleLanding, type ModuleCapability } from '../modules/module-landing';

const CAPABILITIES: ModuleCapability[] = [
  {
    icon: IconRobot,
    title: 'Agents with roles',
    description: 'Define AI agents like team members — a merchandiser, a support agent, an analyst — each with a role, tools and a manager.',
  },
  {
    icon: IconTarget,
    title: 'Goals',
    description: 'Give agents measurable goals that roll up into team and company objectives, so you can see who contributes to what.',
  },
  {
    icon: IconRoute,
    title: 'Workflows',
    description: 'Chain agents and people into repeatable workflows with hand-offs and approval steps where a human must sign off.',
  },
  {
    icon: IconClockHour4,
    title: 'Tasks with SLAs',
    description: 'Every task has an owner, a due time and an SLA; breaches are flagged and escalated like in any well-run team.',
  },
  {
    icon: IconSpeakerphone,
    title: 'Campaigns',
    description: 'Coordinate many agents towards one outcome — a seasonal launch, a clearance push — and follow progress in one view.',
  },
  {
    icon: IconWallet,
    title: 'KPIs and budgets',
    description: 'Track output and quality KPIs per agent and cap their spend with budgets, so automation stays accountable and affordable.',
  },
];

export function AgentOrgPage() {
  return (
    <ModuleLanding
      moduleKey="agent-org"
      summary="Runs your AI agents the way you run a team. Agent org gives each agent a role, goals and a budget, organises their work into workflows and tasks with SLAs, and measures them on KPIs you can trust."
      audience={['Operations leads', 'Team managers', 'Automation owners']}
      capabilities={CAPABILITIES}
      dataSources="Agent org fills up once agents, goals and workflows are defined or imported."
    />
  );
}
