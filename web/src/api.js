// The fetch wrapper every page uses to talk to `nengli serve` (base /api/v1, JSON in and out).
// - Cookies go with every call (credentials: same-origin); writes carry X-CSRF-Token, whose value comes from the
//   login answer or GET /api/v1/me (setCsrfToken).
// - A non-2xx answer becomes an ApiError carrying the server's {"error":{"code","message","field"}}, the HTTP status
//   and, for 429, the Retry-After seconds. A network failure becomes an ApiError with code "network".
// - A 401 on any call but the login itself tells the listener registered with onUnauthenticated (the router sends
//   the user to /login).

const BASE = '/api/v1'

let csrfToken = null
let unauthenticatedListener = null
let acceptLanguage = 'zh-CN'

export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', message = '', field = null, retryAfter = null, requestId = null }) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.retryAfter = retryAfter
    this.requestId = requestId
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null
}

export function setAcceptLanguage(lang) {
  acceptLanguage = lang
}

export function onUnauthenticated(fn) {
  unauthenticatedListener = fn
}

function buildUrl(path, query) {
  const url = path.startsWith('/api/') || path === '/healthz' ? path : BASE + path
  if (!query) return url
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${url}?${qs}` : url
}

/**
 * request(method, path, { body, query, quiet401 }) → the parsed JSON body (or null for an empty body).
 * path is relative to /api/v1 ("/users") unless it already starts with it. Throws ApiError.
 */
export async function request(method, path, { body, query, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': acceptLanguage }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(buildUrl(path, query), init)
  } catch (e) {
    throw new ApiError({ code: 'network', message: e && e.message ? e.message : 'network error' })
  }
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (res.ok) return data

  const err = (data && data.error) || {}
  const retry = res.headers.get('Retry-After')
  const apiError = new ApiError({
    status: res.status,
    code: err.code || `http_${res.status}`,
    message: err.message || res.statusText,
    field: err.field || null,
    retryAfter: retry !== null && /^\d+$/.test(retry) ? Number(retry) : null,
    requestId: res.headers.get('X-Request-Id'),
  })
  if (res.status === 401 && !quiet401 && unauthenticatedListener) unauthenticatedListener(apiError)
  throw apiError
}

export const api = {
  get: (path, query, opts) => request('GET', path, { query, ...opts }),
  post: (path, body, opts) => request('POST', path, { body: body ?? {}, ...opts }),
  patch: (path, body, opts) => request('PATCH', path, { body, ...opts }),
  put: (path, body, opts) => request('PUT', path, { body, ...opts }),
  del: (path, opts) => request('DELETE', path, opts),
}

/**
 * listAll(path, query, max) → every item of a paged list, following next_cursor (at most `max` items).
 */
export async function listAll(path, query = {}, max = 5000) {
  const items = []
  let cursor = null
  do {
    const page = await api.get(path, { ...query, limit: 500, cursor })
    items.push(...(page.items || []))
    cursor = page.next_cursor || null
  } while (cursor && items.length < max)
  return items
}
