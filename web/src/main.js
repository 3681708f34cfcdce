// Entry point: Vue + router + i18n; Element Plus components are imported where they are used (tree-shaken),
// only its stylesheet is global.
import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { onUnauthenticated } from './api'
import { clearSession, session } from './session'

onUnauthenticated(() => {
  // The session ended (expired, revoked by a password change elsewhere, user deactivated): back to the login page.
  if (!session.user) return
  clearSession()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

createApp(App).use(i18n).use(router).mount('#app')
