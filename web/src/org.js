// Cached organisation data (departments) used to show names instead of ids; refreshed after edits.
import { reactive } from 'vue'
import { listAll } from '@/api'

export const org = reactive({ departments: [], loaded: false })

export async function loadDepartments(force = false) {
  if (org.loaded && !force) return org.departments
  org.departments = await listAll('/departments')
  org.loaded = true
  return org.departments
}

export function departmentName(id, locale) {
  if (id === null || id === undefined) return ''
  const d = org.departments.find((x) => x.id === id)
  if (!d) return `#${id}`
  return locale === 'en' && d.name_en ? d.name_en : d.name
}
