// People: staff, skills matrix, certifications, training, appraisals, rewards and penalties.
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
// Roles mirror src/auth/policy.c: people.read is everyone's, people.write admin and hr; appraisal.read is everyone's
// (planner, quality and member: their own department's only), appraisal.write hr; reward.propose hr, quality and
// planner, reward.approve the approver. The pages themselves show each write only to the permission that allows it.
const WRITE_PEOPLE = ['admin', 'hr']

export const routes = [
  {
    path: 'people/staff', name: 'people-staff', component: () => import('@/views/people/StaffView.vue'),
    meta: { title: 'people.menu.staff', writeRoles: WRITE_PEOPLE },
  },
  {
    path: 'people/skills', name: 'people-skills', component: () => import('@/views/people/SkillsMatrixView.vue'),
    meta: { title: 'people.menu.skills', writeRoles: [] },
  },
  {
    path: 'people/certifications', name: 'people-certifications',
    component: () => import('@/views/people/CertificationsView.vue'),
    meta: { title: 'people.menu.certifications', writeRoles: WRITE_PEOPLE },
  },
  {
    path: 'people/training', name: 'people-training', component: () => import('@/views/people/TrainingView.vue'),
    meta: { title: 'people.menu.training', writeRoles: WRITE_PEOPLE },
  },
  {
    path: 'people/appraisals', name: 'people-appraisals', component: () => import('@/views/people/AppraisalsView.vue'),
    meta: { title: 'people.menu.appraisals', writeRoles: ['hr'] },
  },
  {
    path: 'people/rewards', name: 'people-rewards', component: () => import('@/views/people/RewardsView.vue'),
    meta: { title: 'people.menu.rewards', writeRoles: ['hr', 'quality', 'planner', 'approver'] },
  },
]

export const menu = {
  people: [
    { route: 'people-staff', title: 'people.menu.staff' },
    { route: 'people-skills', title: 'people.menu.skills' },
    { route: 'people-certifications', title: 'people.menu.certifications' },
    { route: 'people-training', title: 'people.menu.training' },
    { route: 'people-appraisals', title: 'people.menu.appraisals' },
    { route: 'people-rewards', title: 'people.menu.rewards' },
  ],
}
