// Helpers shared by the service-record pages: status tag colours, SLA verdict tags, minutes as words, and local
// times typed as "YYYY-MM-DD HH:mm" in the company's time zone (settings.timezone) turned into RFC 3339.
import { session } from '@/session'

export const STATUSES = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_vendor', 'resolved', 'closed']
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4']
export const CHANNELS = ['phone', 'portal', 'email', 'monitor']

export function statusType(s) {
  if (s === 'resolved' || s === 'closed') return 'success'
  if (s === 'waiting_customer' || s === 'waiting_vendor') return 'warning'
  if (s === 'new') return 'info'
  return 'primary'
}

export function priorityType(p) {
  return { P1: 'danger', P2: 'warning', P3: 'primary', P4: 'info' }[p] || 'info'
}

/** 'met' | 'breached' | 'none' from a stored verdict (true / false / null). */
export function slaState(v) {
  if (v === true) return 'met'
  if (v === false) return 'breached'
  return 'none'
}

/** 95 → "1 h 35 min"; null → "—". */
export function minutesText(m, en) {
  if (m === null || m === undefined) return '—'
  const h = Math.floor(m / 60)
  const r = m % 60
  if (!h) return en ? `${r} min` : `${r} 分钟`
  return en ? `${h} h ${r} min` : `${h} 小时 ${r} 分钟`
}

function zoneOffsetMs(tz, utcMs) {
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
    const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]))
    const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second))
    return asUtc - utcMs
  } catch {
    return 8 * 3600 * 1000
  }
}

/** "2026-03-01 08:00" (company time) → "2026-03-01T00:00:00Z"; "" → null; undefined when malformed. */
export function localToIso(text) {
  const s = (text || '').trim()
  if (!s) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s)
  if (!m) return undefined
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0))
  const tz = session.settings.timezone || 'Asia/Shanghai'
  const utc = guess - zoneOffsetMs(tz, guess)
  if (Number.isNaN(utc)) return undefined
  return new Date(utc).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
