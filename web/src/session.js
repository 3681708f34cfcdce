// The logged-in user, shared by the router guard, the layout and the pages.
// `session.user` is null until login or until GET /api/v1/me answers; `session.checked` says whether we asked.
// Roles decide what the UI offers; the server checks every call again (a hidden button is no protection).
import { reactive } from 'vue'
import { api, setCsrfToken } from '@/api'

export const ROLES = ['admin', 'approver', 'planner', 'hr', 'quality', 'member', 'auditor']

export const session = reactive({
  checked: false,
  user: null,
  permissions: [],
  settings: { company_name: '', timezone: 'Asia/Shanghai' },
})

function applyMe(me) {
  const { csrf_token: csrf, permissions, ...user } = me
  if (csrf) setCsrfToken(csrf)
  session.user = user
  session.permissions = Array.isArray(permissions) ? permissions : []
}

async function loadSettings() {
  try {
    const s = await api.get('/settings')
    if (s) session.settings = { company_name: s.company_name || '', timezone: s.timezone || 'Asia/Shanghai' }
  } catch {
    /* settings are decoration here; the pages that need them report their own errors */
  }
}

/** Asks the server who we are (once per page load). Resolves to the user or null; throws on other errors. */
export async function loadSession() {
  try {
    const me = await api.get('/me', undefined, { quiet401: true })
    applyMe(me)
    await loadSettings()
  } catch (e) {
    if (e.status !== 401) throw e
    clearSession()
  } finally {
    session.checked = true
  }
  return session.user
}

/** POST /session; on success the user, CSRF token, permissions and settings are loaded. Throws ApiError. */
export async function login(username, password) {
  const r = await api.post('/session', { username, password }, { quiet401: true })
  setCsrfToken(r.csrf_token)
  session.user = r.user
  session.checked = true
  try {
    applyMe(await api.get('/me', undefined, { quiet401: true }))
  } catch {
    /* the login answer already gave us the user */
  }
  await loadSettings()
  return session.user
}

export async function logout() {
  try {
    await api.del('/session', { quiet401: true })
  } finally {
    clearSession()
  }
}

export function clearSession() {
  session.user = null
  session.permissions = []
  setCsrfToken(null)
}

/** True when the current user holds one of `roles` (no list = any logged-in user). */
export function hasAnyRole(roles) {
  if (!session.user) return false
  if (!roles || roles.length === 0) return true
  const mine = session.user.roles || []
  return roles.some((r) => mine.includes(r))
}
