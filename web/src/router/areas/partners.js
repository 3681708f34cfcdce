// Partners (quarterly scores, annual rating), innovation proposals and risks.
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
// Everyone reads these pages (records.read / cycle.read); who writes follows src/auth/policy.c: partner.write (quality,
// planner; partner.rate and partner.rating.approve are checked on the page), innovation.propose (all but the
// auditor; innovation.advance is checked on the page), risk.write (quality, planner).
export const routes = [
  {
    path: 'people/partners', name: 'people-partners', component: () => import('@/views/partners/PartnersView.vue'),
    meta: { title: 'partners.menu', writeRoles: ['quality', 'planner'] },
  },
  {
    path: 'improvement/innovations', name: 'improvement-innovations',
    component: () => import('@/views/improvement/InnovationsView.vue'),
    meta: { title: 'improvement.innovations.menu', writeRoles: ['admin', 'approver', 'planner', 'hr', 'quality', 'member'] },
  },
  {
    path: 'improvement/risks', name: 'improvement-risks', component: () => import('@/views/improvement/RisksView.vue'),
    meta: { title: 'improvement.risks.menu', writeRoles: ['quality', 'planner'] },
  },
]

export const menu = {
  people: [{ route: 'people-partners', title: 'partners.menu' }],
  improvement: [
    { route: 'improvement-innovations', title: 'improvement.innovations.menu' },
    { route: 'improvement-risks', title: 'improvement.risks.menu' },
  ],
}
