// The import wizard's reading of the chosen file in the browser: CSV (RFC 4180: quotes, doubled quotes, CRLF, a
// UTF-8 BOM) or JSON lines, the automatic column matching, and the first checks of the rows. The server reads the
// whole file again when importing and is the judge: these checks only spare a round trip for the obvious mistakes.

export const FIELDS = [
  'external_id', 'priority', 'opened_at', 'title', 'channel', 'category', 'status', 'department', 'department_id',
  'customer_id', 'assigned_at', 'first_response_at', 'resolved_at', 'closed_at', 'reassignment_count', 'reopen_count',
  'sla_source_made',
]
export const REQUIRED = ['external_id', 'priority', 'opened_at']
const TIME_FIELDS = ['opened_at', 'assigned_at', 'first_response_at', 'resolved_at', 'closed_at']
const COUNT_FIELDS = ['reassignment_count', 'reopen_count']
const STATUSES = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_vendor', 'resolved', 'closed']

// header spellings seen in help-desk exports, matched after lower-casing and dropping spaces, '_' and '-'
const SYNONYMS = {
  external_id: ['externalid', 'number', 'ticketno', 'ticketnumber', 'ticketid', 'id', 'no', '工单号', '单号', '编号', '工单编号'],
  priority: ['priority', 'prio', '优先级', '级别'],
  opened_at: ['openedat', 'opened', 'created', 'createdat', 'createtime', 'opentime', '开单时间', '创建时间', '提交时间', '报障时间'],
  title: ['title', 'subject', 'summary', 'shortdescription', '标题', '主题', '摘要', '问题描述'],
  channel: ['channel', 'contacttype', 'source', '渠道', '来源渠道'],
  category: ['category', 'type', '类别', '分类', '类型'],
  status: ['status', 'state', 'incidentstate', '状态'],
  department: ['department', 'dept', 'assignmentgroup', 'group', 'team', '部门', '处理部门', '处理组'],
  department_id: ['departmentid', 'deptid'],
  customer_id: ['customerid', '客户id', '客户编号'],
  assigned_at: ['assignedat', 'assigned', 'assigntime', '派单时间', '分派时间'],
  first_response_at: ['firstresponseat', 'firstresponse', 'responded', 'responsetime', '响应时间', '首次响应时间'],
  resolved_at: ['resolvedat', 'resolved', 'resolvetime', '解决时间'],
  closed_at: ['closedat', 'closed', 'closetime', '关闭时间'],
  reassignment_count: ['reassignmentcount', 'reassignments', '转派次数'],
  reopen_count: ['reopencount', 'reopens', '重开次数'],
  sla_source_made: ['slasourcemade', 'madesla', 'slamet', 'sla达成'],
}

const norm = (s) => String(s || '').trim().toLowerCase().replace(/[\s_\-.]/g, '')

/** Parses CSV text into rows (arrays of strings), at most maxRows + 1 rows (the header included). */
export function parseCsv(text, maxRows = Infinity) {
  const rows = []
  let row = []
  let field = ''
  let i = 0
  let quoted = false
  if (text.charCodeAt(0) === 0xfeff) i = 1
  const n = text.length
  while (i < n && rows.length <= maxRows) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        field += c
      }
      i++
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
    } else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      field = ''
      if (row.length > 1 || row[0] !== '') rows.push(row)
      row = []
    } else {
      field += c
    }
    i++
  }
  if (rows.length <= maxRows && (field !== '' || row.length)) {
    row.push(field)
    if (row.length > 1 || row[0] !== '') rows.push(row)
  }
  return rows
}

/** Counts the data lines of a text quickly (non-empty lines minus the header for CSV; quoted newlines are rare). */
export function countLines(text, header) {
  let n = 0
  let start = 0
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '\n') {
      if (text.slice(start, i).trim()) n++
      start = i + 1
    }
  }
  return Math.max(0, n - (header ? 1 : 0))
}

/** { field: header } for the fields whose header matches by name or a known synonym. */
export function autoMap(headers) {
  const map = {}
  const used = new Set()
  for (const f of FIELDS) {
    const wanted = [norm(f), ...(SYNONYMS[f] || []).map(norm)]
    const h = headers.find((x) => !used.has(x) && wanted.includes(norm(x)))
    if (h !== undefined) {
      map[f] = h
      used.add(h)
    }
  }
  return map
}

function timeOk(v) {
  return /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())
}

/**
 * The first problems of the mapped rows: [{ line, field, code, v }] (line = the file's line number, the header
 * being line 1). records: [{ line, values: { field: text } }].
 */
export function checkRows(records) {
  const problems = []
  const seen = new Map()
  for (const { line, values } of records) {
    for (const f of REQUIRED) {
      if (!String(values[f] ?? '').trim()) problems.push({ line, field: f, code: 'required' })
    }
    const p = String(values.priority ?? '').trim()
    if (p && !/^P[1-4]$/.test(p)) problems.push({ line, field: 'priority', code: 'priority', v: p })
    const s = String(values.status ?? '').trim()
    if (s && !STATUSES.includes(s)) problems.push({ line, field: 'status', code: 'status', v: s })
    for (const f of TIME_FIELDS) {
      const v = String(values[f] ?? '')
      if (v.trim() && !timeOk(v)) problems.push({ line, field: f, code: 'time', v })
    }
    for (const f of COUNT_FIELDS) {
      const v = String(values[f] ?? '').trim()
      if (v && !/^\d+$/.test(v)) problems.push({ line, field: f, code: 'count', v })
    }
    const id = String(values.external_id ?? '').trim()
    if (id) {
      if (seen.has(id)) problems.push({ line, field: 'external_id', code: 'duplicate', v: id })
      else seen.set(id, line)
    }
  }
  return problems
}
