// Customer feedback: complaints (register → verify → answer → rectify → archive, reopen; analysis) and satisfaction
// survey campaigns, plus the public, login-free survey page that a survey link opens.
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
// Roles mirror src/auth/policy.c: records.read is everyone's; complaint.register admin, planner, quality, member;
// complaint.handle planner, quality (checked on the page); survey.manage quality.
export const routes = [
  {
    path: 'records/complaints', name: 'records-complaints', component: () => import('@/views/feedback/ComplaintsView.vue'),
    meta: { title: 'complaints.menu', writeRoles: ['admin', 'planner', 'quality', 'member'] },
  },
  {
    path: 'records/surveys', name: 'records-surveys', component: () => import('@/views/feedback/SurveysView.vue'),
    meta: { title: 'surveys.menu', writeRoles: ['quality'] },
  },
]

// Pages outside the app layout, open without a login (meta.public): a customer answers a survey link here.
export const publicRoutes = [
  {
    path: '/survey/:token', name: 'survey-response', component: () => import('@/views/feedback/SurveyResponseView.vue'),
    meta: { public: true },
  },
]

export const menu = {
  records: [
    { route: 'records-complaints', title: 'complaints.menu' },
    { route: 'records-surveys', title: 'surveys.menu' },
  ],
}
