// Client-side routes. Every page is a lazy chunk; `meta.roles` lists who may open a page (none = any logged-in
// user) and `meta.writeRoles` who may change things on it. The menu (src/menu.js) is derived from the same meta.
// The server serves index.html for every unknown non-API path, so history mode works on reload.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadSession, hasAnyRole } from '@/session'
import { areaRoutes, areaPublicRoutes } from './areas'

const routes = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  ...areaPublicRoutes,
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: 'menu.dashboard' } },
      { path: 'account/tokens', name: 'tokens', component: () => import('@/views/admin/TokensView.vue'), meta: { title: 'tokens.title' } },
      {
        path: 'admin/users', name: 'admin-users', component: () => import('@/views/admin/UsersView.vue'),
        meta: { title: 'menu.users', roles: ['admin', 'auditor'], writeRoles: ['admin'] },
      },
      {
        path: 'admin/departments', name: 'admin-departments', component: () => import('@/views/admin/DepartmentsView.vue'),
        meta: { title: 'menu.departments', roles: ['admin', 'auditor'], writeRoles: ['admin'] },
      },
      {
        path: 'admin/settings', name: 'admin-settings', component: () => import('@/views/admin/SettingsView.vue'),
        meta: { title: 'menu.settings', roles: ['admin', 'auditor'], writeRoles: ['admin'] },
      },
      {
        path: 'admin/audit', name: 'admin-audit', component: () => import('@/views/admin/AuditView.vue'),
        meta: { title: 'menu.audit', roles: ['admin', 'auditor'] },
      },
      {
        path: 'plan', name: 'plan', component: () => import('@/views/plan/PlanView.vue'),
        meta: { title: 'menu.planAnnual' }, // every user reads the plan; what one may do comes from plan.can
      },
      {
        path: 'approvals', name: 'approvals', component: () => import('@/views/approvals/ApprovalsView.vue'),
        meta: { title: 'menu.approvals', roles: ['approver'] },
      },
      {
        path: 'metrics/achievement', name: 'metrics-achievement', component: () => import('@/views/metrics/AchievementView.vue'),
        meta: { title: 'metrics.menuAchievement' },
      },
      {
        path: 'evaluation', name: 'evaluation', component: () => import('@/views/evaluation/EvaluationView.vue'),
        meta: { title: 'evaluation.menu' },
      },
      {
        path: 'work/tracking', name: 'work-tracking', component: () => import('@/views/work/TrackingView.vue'),
        meta: { title: 'work.menuTracking' },
      },
      ...areaRoutes,
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/StatusView.vue'), props: { kind: 'forbidden' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/StatusView.vue'), props: { kind: 'notFound' } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

router.beforeEach(async (to) => {
  if (!session.checked) {
    try {
      await loadSession()
    } catch {
      /* server unreachable: treat as logged out; the login page reports errors when used */
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { name: 'dashboard' }
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (!hasAnyRole(to.meta.roles)) return { name: 'forbidden' }
  return true
})

/** Whether the current user may open the route named `name`. */
export function canOpen(name) {
  const r = router.getRoutes().find((x) => x.name === name)
  return !!r && hasAnyRole(r.meta.roles)
}

/** Whether the current user may write on the current route (meta.writeRoles; absent = whoever may open it). */
export function canWrite(route) {
  const roles = route.meta.writeRoles
  return roles ? hasAnyRole(roles) : hasAnyRole(route.meta.roles)
}
