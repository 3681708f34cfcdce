// Turning an ApiError into words for the user, and placing it next to the form field the server names.
import { reactive, ref } from 'vue'
import { i18n } from '@/i18n'

const FIELD_MESSAGES = {
  'validation_failed:current_password': 'account.currentWrong',
}

/** A sentence for the user; server messages are used where they say more than a generic text would. */
export function describeError(err) {
  const t = i18n.global.t
  if (!err) return ''
  switch (err.code) {
    case 'network':
      return t('errors.network')
    case 'unauthenticated':
      return t('errors.unauthenticated')
    case 'forbidden':
      return t('errors.forbidden')
    case 'csrf_failed':
      return t('errors.csrf')
    case 'not_found':
      return t('errors.notFound')
    case 'payload_too_large':
      return t('errors.tooLarge')
    case 'conflict':
      return t('errors.conflict')
    default:
      break
  }
  // a few field errors whose meaning is unambiguous get the UI's own words; others keep the server's text
  const known = FIELD_MESSAGES[`${err.code}:${err.field}`]
  if (known) return t(known)
  if (err.status >= 500 || !err.status) {
    const base = t('errors.server', { status: err.status || '?' })
    return err.requestId ? `${base} · ${t('errors.requestId', { id: err.requestId })}` : base
  }
  return err.message || err.code
}

/** The top-level field a server error names: "roles" for "roles[1]", "items" for "items[2].target". */
export function fieldRoot(field) {
  if (!field) return null
  return String(field).split(/[.[]/)[0]
}

/**
 * useFormErrors(['username', 'password']) → { errors, general, clear, apply }
 * errors[field] holds the message shown next to that field (el-form-item :error); general holds the rest.
 */
export function useFormErrors(fields) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])))
  const general = ref('')
  function clear() {
    for (const k of Object.keys(errors)) errors[k] = ''
    general.value = ''
  }
  function apply(err, describe = describeError) {
    clear()
    const msg = describe(err)
    const root = fieldRoot(err && err.field)
    if (root && root in errors) errors[root] = msg
    else general.value = msg
  }
  return { errors, general, clear, apply }
}
