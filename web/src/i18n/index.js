// Locale setup: zh-CN by default, en as the alternative; the choice is kept in localStorage ("nengli.locale").
// Messages live in ./locales/*.json and are precompiled at build time (see vite.config.js), so the runtime-only
// vue-i18n build needs no message compiler and no eval (the server's CSP forbids it).
import { createI18n } from 'vue-i18n'
import messages from '@intlify/unplugin-vue-i18n/messages'
import { setAcceptLanguage } from '@/api'

export const LOCALES = ['zh-CN', 'en']
const STORAGE_KEY = 'nengli.locale'

function initialLocale() {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY)
    if (LOCALES.includes(saved)) return saved
  } catch {
    /* storage unavailable: fall back to the default */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
})

function applyDocument(locale) {
  document.documentElement.setAttribute('lang', locale)
  document.title = i18n.global.t('app.title')
  setAcceptLanguage(locale)
}

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return
  i18n.global.locale.value = locale
  try {
    window.localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    /* not persisted; still switched for this page */
  }
  applyDocument(locale)
}

applyDocument(i18n.global.locale.value)
