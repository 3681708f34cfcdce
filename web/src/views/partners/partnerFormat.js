// Shared words and helpers of the partner pages: statuses and their allowed moves (as src/partners/partner_rules.c),
// the record measures a dimension may take its score from, grade colours, quarters.
export const PARTNER_STATUSES = ['candidate', 'active', 'suspended', 'terminated']

const MOVES = {
  candidate: ['active', 'terminated'],
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: ['active'],
}

/** The statuses a partner in status `from` may take (itself included); every status for a new partner. */
export function statusChoices(from) {
  if (!from) return PARTNER_STATUSES
  return [from, ...(MOVES[from] || [])]
}

export const MEASURES = ['complaint_rate', 'satisfaction_avg', 'satisfied_rate', 'sla_response_rate', 'sla_resolution_rate', 'resolution_rate']

export function statusTag(s) {
  return { active: 'success', candidate: 'info', suspended: 'warning', terminated: 'danger' }[s] || 'info'
}

export function gradeTag(g) {
  return { A: 'success', B: 'primary', C: 'warning', D: 'danger' }[g] || 'info'
}

export function ratingTag(s) {
  return { approved: 'success', pending: 'warning', rejected: 'danger' }[s] || 'info'
}

/** "2026-Q4" for a date (the organisation's quarters are calendar quarters). */
export function quarterOf(d = new Date()) {
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`
}

/** The quarters from `fromYear`-Q1 up to the current one, newest first. */
export function recentQuarters(fromYear, now = new Date()) {
  const out = []
  const cur = quarterOf(now)
  for (let y = now.getFullYear(); y >= fromYear; y--) {
    for (let q = 4; q >= 1; q--) {
      const p = `${y}-Q${q}`
      if (p <= cur) out.push(p)
    }
  }
  return out
}

/** The grade of a total by thresholds {a,b,c} (as partner_grade: the total rounded to one decimal). */
export function gradeOf(total, th) {
  if (total === null || total === undefined || !th) return ''
  const r = Math.round(total * 10) / 10
  if (r >= th.a) return 'A'
  if (r >= th.b) return 'B'
  if (r >= th.c) return 'C'
  return 'D'
}

export function fmt1(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1)
}

// The dimensions' English names (GET /partner-dimensions, read once per page load): assessments carry the name
// they were scored under in Chinese; in English the current English name of the same key is shown when there is one.
const englishNames = new Map()
let namesLoaded = null

export function loadDimensionNames(api) {
  if (!namesLoaded) {
    namesLoaded = api.get('/partner-dimensions').then((r) => {
      for (const d of r.items || []) if (d.name_en) englishNames.set(d.key, d.name_en)
    }).catch(() => {
      namesLoaded = null
    })
  }
  return namesLoaded
}

export function dimensionName(d, locale) {
  return locale === 'en' && englishNames.has(d.key) ? englishNames.get(d.key) : d.name
}
