// Administration of the service rules: SLA policies and calendars (holidays, make-up workdays), and the roles page
// (the permission table, read-only).
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
// Roles follow src/auth/policy.c: SLA policies and calendars are readable by everyone (records.read) but belong to the
// administration group, so they are offered to admin and auditor (who see the whole group) and to the planner, who
// maintains them with the admin (sla.write). The roles page reads GET /roles (org.read) and is offered to admin and
// auditor like the rest of the group.
const SLA_READERS = ['admin', 'auditor', 'planner']
const SLA_WRITERS = ['admin', 'planner']

export const routes = [
  {
    path: 'admin/sla-policies', name: 'admin-sla-policies', component: () => import('@/views/settings/SlaPoliciesView.vue'),
    meta: { title: 'sla.menu', roles: SLA_READERS, writeRoles: SLA_WRITERS },
  },
  {
    path: 'admin/calendars', name: 'admin-calendars', component: () => import('@/views/settings/CalendarsView.vue'),
    meta: { title: 'calendars.menu', roles: SLA_READERS, writeRoles: SLA_WRITERS },
  },
  {
    path: 'admin/roles', name: 'admin-roles', component: () => import('@/views/settings/RolesView.vue'),
    meta: { title: 'rolesPage.menu', roles: ['admin', 'auditor'] }, // read-only: no writes on this page
  },
]

export const menu = {
  admin: [
    { route: 'admin-sla-policies', title: 'sla.menu' },
    { route: 'admin-calendars', title: 'calendars.menu' },
    { route: 'admin-roles', title: 'rolesPage.menu' },
  ],
}
