// Display helpers: timestamps are shown in the company's time zone (settings.timezone) as YYYY-MM-DD HH:mm.
import { session } from '@/session'

const cache = new Map()

function formatter(tz) {
  if (!cache.has(tz)) {
    let f
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      })
    } catch {
      f = new Intl.DateTimeFormat('en-CA', {
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      })
    }
    cache.set(tz, f)
  }
  return cache.get(tz)
}

export function formatDateTime(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  const parts = Object.fromEntries(formatter(session.settings.timezone || 'Asia/Shanghai').formatToParts(d).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}
