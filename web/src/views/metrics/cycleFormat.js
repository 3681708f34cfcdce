// Helpers of the achievement pages: how a metric's value reads (ratios as %), where a period sits in the year's
// 12-column grid, and the periods of a year.

/** A value as people read it: ratios as per cent, other units as plain numbers. */
export function formatValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  if (unit === 'ratio') return `${round(v * 100, 1)}%`
  return String(round(v, 2))
}

export function round(v, digits) {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

/** { start, span } of a period in the 12 columns (1-based): months 1 column, quarters 3, the year 12. */
export function periodSlot(period) {
  const m = /^\d{4}-(\d{2})$/.exec(period)
  if (m) return { start: Number(m[1]), span: 1 }
  const q = /^\d{4}-Q([1-4])$/.exec(period)
  if (q) return { start: (Number(q[1]) - 1) * 3 + 1, span: 3 }
  return { start: 1, span: 12 }
}

/** Every period string of a year: 12 months, 4 quarters, the year. */
export function yearPeriods(year) {
  const out = []
  for (let i = 1; i <= 12; i += 1) out.push(`${year}-${String(i).padStart(2, '0')}`)
  for (let q = 1; q <= 4; q += 1) out.push(`${year}-Q${q}`)
  out.push(String(year))
  return out
}

/** The first day of a period (YYYY-MM-DD), to tell whether it has begun. */
export function periodStart(period) {
  const m = /^(\d{4})-(\d{2})$/.exec(period)
  if (m) return `${m[1]}-${m[2]}-01`
  const q = /^(\d{4})-Q([1-4])$/.exec(period)
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`
  return `${period}-01-01`
}

/** Today's date (YYYY-MM-DD) in the company's time zone. */
export function todayIn(tz) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  } catch {
    return new Date().toISOString().slice(0, 10)
  }
}

/** met / warning / missed of an actual against target and warning (the rules of src/cycle/rules.h). */
export function judge(actual, target, warning, direction) {
  if (actual === null || actual === undefined || target === null || target === undefined) return null
  const eps = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
  const better = (a, b) => (direction === 'lower_better' ? a <= b || eps(a, b) : a >= b || eps(a, b))
  if (better(actual, target)) return 'met'
  if (warning !== null && warning !== undefined && better(actual, warning)) return 'warning'
  return 'missed'
}
