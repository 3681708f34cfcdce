// The side menu: the product's groups in the order of the yearly cycle. A group shows only the pages that exist
// and that the user's roles may open (route meta.roles); a group with none is not shown. Later issues add their
// pages to the empty groups here and to src/router.
import {
  Calendar, DataAnalysis, List, Checked, Tickets, UserFilled, Setting, Opportunity,
} from '@element-plus/icons-vue'
import { areaMenu } from '@/router/areas'

const baseGroups = [
  {
    key: 'plan',
    title: 'menu.plan',
    icon: Calendar,
    items: [
      { route: 'plan', title: 'menu.planAnnual' },
      { route: 'approvals', title: 'menu.approvals' },
    ],
  },
  { key: 'metrics', title: 'menu.metrics', icon: DataAnalysis, items: [{ route: 'metrics-achievement', title: 'metrics.menuAchievement' }] },
  { key: 'work', title: 'menu.work', icon: List, items: [{ route: 'work-tracking', title: 'work.menuTracking' }] },
  { key: 'evaluation', title: 'menu.evaluation', icon: Checked, items: [{ route: 'evaluation', title: 'evaluation.menu' }] },
  { key: 'improvement', title: 'menu.improvement', icon: Opportunity, items: [] },
  { key: 'records', title: 'menu.records', icon: Tickets, items: [] },
  { key: 'people', title: 'menu.people', icon: UserFilled, items: [] },
  {
    key: 'admin',
    title: 'menu.admin',
    icon: Setting,
    items: [
      { route: 'admin-users', title: 'menu.users' },
      { route: 'admin-departments', title: 'menu.departments' },
      { route: 'tokens', title: 'menu.tokens', roles: ['admin'] },
      { route: 'admin-settings', title: 'menu.settings' },
      { route: 'admin-audit', title: 'menu.audit' },
    ],
  },
]

// the areas (src/router/areas/) append their pages to the groups
export const menuGroups = baseGroups.map((g) => ({ ...g, items: [...g.items, ...areaMenu(g.key)] }))
