// Helpers shared by the people pages: what the current user may do (from the permissions GET /me lists, the same
// names as src/auth/policy.c), the staff list for pickers, and number formatting.
import { computed } from 'vue'
import { api } from '@/api'
import { session, hasAnyRole } from '@/session'

/** The people permissions of the current user as computed flags. */
export function usePeoplePerms() {
  const perms = computed(() => session.permissions || [])
  return {
    writePeople: computed(() => perms.value.includes('people.write')),
    writeAppraisal: computed(() => perms.value.includes('appraisal.write')),
    propose: computed(() => perms.value.includes('reward.propose')),
    approve: computed(() => perms.value.includes('reward.approve')),
    // planner, quality and member read only their own department's appraisals (policy.c dept_roles)
    appraisalScoped: computed(() => !hasAnyRole(['admin', 'hr', 'approver', 'auditor'])),
  }
}

/** The current staff (not left) for pickers: one request of at most 500 records. */
export async function loadStaffOptions(query = {}) {
  const page = await api.get('/staff', { active: 'true', limit: 500, ...query })
  return page.items || []
}

/** Today in the company's time zone as YYYY-MM-DD. */
export function today() {
  const tz = session.settings.timezone || 'Asia/Shanghai'
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(new Date()).map((p) => [p.type, p.value]))
    return `${parts.year}-${parts.month}-${parts.day}`
  } catch {
    return new Date().toISOString().slice(0, 10)
  }
}

/** A number with at most `digits` decimals, '' for null. */
export function num(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return ''
  return String(Math.round(Number(v) * 10 ** digits) / 10 ** digits)
}

/** A ratio 0..1 as a percentage, '' for null. */
export function pct(v) {
  if (v === null || v === undefined) return ''
  return `${num(Number(v) * 100, 1)}%`
}

/** Element Plus tag types of the grades A–D. */
export const GRADE_TYPES = { A: 'success', B: 'primary', C: 'warning', D: 'danger' }
