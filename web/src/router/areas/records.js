// Service records: tickets with their SLA timeline, the import wizard, complaints, surveys, customers.
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
// Roles follow src/auth/policy.c: records.read = everyone; records.write = admin, planner, quality (members: their own
// department's tickets, checked again per row); import.run = admin, planner, quality; customer.pii decides masking on
// the server.
export const routes = [
  {
    path: 'records/tickets', name: 'records-tickets', component: () => import('@/views/records/TicketsView.vue'),
    meta: { title: 'records.menuTickets', writeRoles: ['admin', 'planner', 'quality', 'member'] },
  },
  {
    path: 'records/import', name: 'records-import', component: () => import('@/views/records/ImportView.vue'),
    meta: { title: 'records.menuImport', roles: ['admin', 'planner', 'quality'] },
  },
  {
    path: 'records/customers', name: 'records-customers', component: () => import('@/views/records/CustomersView.vue'),
    meta: { title: 'records.menuCustomers', writeRoles: ['admin', 'planner', 'quality'] },
  },
]

export const menu = {
  records: [
    { route: 'records-tickets', title: 'records.menuTickets' },
    { route: 'records-import', title: 'records.menuImport' },
    { route: 'records-customers', title: 'records.menuCustomers' },
  ],
}
