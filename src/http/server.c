/* server.c — the libmicrohttpd adapter: per-request state, body accumulation under a limit, authentication,
 * permission and CSRF checks, JSON parsing, dispatch to the route's handler (inline or on a worker thread for
 * slow routes, through suspend/resume), the response with its common headers, the access log and metrics, and the
 * header deadline against slow clients (struct conn_watch).
 * Keep-alive (STACK-NOTES): the response is queued only once *upload_data_size == 0, never on the first call. */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "http/server.h"

#include "auth/session.h"
#include "core/log.h"
#include "core/messages.h"
#include "core/strbuf.h"
#include "http/http.h"
#include "http/httpInt.h"
#include "http/metrics.h"
#include "http/router.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/common.h"

enum phase { PH_READING = 0, PH_WORKING, PH_READY };

struct conn_state {
	struct nl_req req;
	struct nl_server *srv;
	struct MHD_Connection *conn;
	struct nl_strbuf body;
	struct nl_route_match match;
	int route;
	int route_err;            /* 0, NL_ENOTFOUND or NL_EMETHOD */
	size_t limit;
	int too_large;
	enum phase phase;
	int sent;
	uint64_t start_us;
	struct conn_state *next_job;
};

/* The header deadline (slowloris): libmicrohttpd's connection timeout counts idle time only, so a client sending a
 * byte every few seconds could hold a connection for ever. Every connection is registered here; while it waits for
 * a request's headers (from its start, or from the end of its previous request) `waiting` is 1, and a watchdog
 * thread shuts down the socket of one still waiting after connection-timeout seconds — libmicrohttpd then closes it
 * as if the client had gone. The registry lock is held across shutdown() and the CLOSED notification takes it too;
 * libmicrohttpd closes the descriptor only after that notification, so a descriptor shut down is never reused. */
struct conn_watch {
	int fd;
	_Atomic int waiting;
	_Atomic uint64_t since_us;
	struct conn_watch *prev, *next;
};

struct nl_server {
	struct MHD_Daemon *daemon;
	const struct nl_config *cfg;
	struct nl_store *store;
	int port;
	/* the worker pool for slow routes */
	pthread_t *workers;
	int nworkers;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn_state *queue_head, *queue_tail;
	int stopping;
	/* the header deadline (struct conn_watch) */
	pthread_mutex_t watch_mu;
	pthread_cond_t watch_cv;
	struct conn_watch *watch_head;
	pthread_t watchdog;
	int watchdog_running, watch_stopping;
};

static _Atomic uint64_t request_counter;
static char request_prefix[9];

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static enum MHD_Result copy_kv(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct nl_req *r = cls;
	struct req_kv *kv = arena_alloc(&r->arena, sizeof *kv);
	if (!kv || !key)
		return MHD_YES;
	kv->key = arena_strdup(&r->arena, key);
	kv->value = arena_strdup(&r->arena, value ? value : "");
	kv->next = NULL;
	struct req_kv **list = kind == MHD_HEADER_KIND ? &r->headers_ : &r->query_;
	kv->next = *list;
	*list = kv;
	return MHD_YES;
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "unknown");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/* First call for a request: allocate the state, match the route, copy headers and query. */
static struct conn_state *state_new(struct nl_server *srv, struct MHD_Connection *c, const char *url, const char *method)
{
	struct conn_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->srv = srv;
	st->conn = c;
	st->start_us = now_us();
	struct nl_req *r = &st->req;
	arena_init(&r->arena, (size_t)srv->cfg->arena_limit_mib * 1024 * 1024);
	r->method = arena_strdup(&r->arena, method);
	r->path = arena_strdup(&r->arena, url);
	r->conn = c;
	r->status = 0;
	r->ctx.err = &r->err;
	r->ctx.arena = &r->arena;
	r->ctx.request_id = r->request_id;
	r->ctx.now = (int64_t)time(NULL);
	r->reply_fd = -1;
	snprintf(r->request_id, sizeof r->request_id, "%s-%llu", request_prefix,
		(unsigned long long)atomic_fetch_add(&request_counter, 1) + 1);
	client_address(c, r->client_addr, sizeof r->client_addr);
	MHD_get_connection_values(c, MHD_HEADER_KIND, copy_kv, r);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, copy_kv, r);
	r->err.lang = nl_lang_parse(req_header(r, "Accept-Language"));   /* the language of error messages */
	proxy_resolve(r);   /* behind a trusted proxy: the forwarded client's address */
	st->route_err = router_match(nl_routes, nl_routes_count, method, url, &st->match);
	st->route = st->match.index;
	size_t def = (size_t)srv->cfg->body_limit_kib * 1024;
	st->limit = def;
	if (st->route >= 0) {
		const struct nl_route *rt = &nl_routes[st->route];
		st->limit = rt->body_limit ? rt->body_limit : def;
		if ((rt->flags & NL_R_RAW) && !rt->body_limit)
			st->limit = (size_t)srv->cfg->upload_limit_mib * 1024 * 1024;
		for (int i = 0; i < st->match.nparams; i++) {
			r->param_names[i] = arena_strndup(&r->arena, st->match.names[i], st->match.name_len[i]);
			r->param_values[i] = arena_strndup(&r->arena, st->match.values[i], st->match.value_len[i]);
		}
		r->nparams = st->match.nparams;
	}
	strbuf_init(&st->body, st->limit);
	metrics_inflight_add(1);
	return st;
}

/* Writes the CONTRACT.md error body for code into the request's reply. */
static void reply_error(struct nl_req *r, int code)
{
	if (r->err.code == 0)
		nl_fail(&r->err, code, NULL, NULL);
	code = r->err.code;
	json_t *e = json_object();
	json_set_str(e, "code", nl_err_code(code));
	json_set_str(e, "message", r->err.message[0] ? r->err.message : nl_err_default_message(code));
	if (r->err.field[0])
		json_set_str(e, "field", r->err.field);
	json_decref(r->reply);
	free(r->reply_raw);
	r->reply_raw = NULL;
	if (r->reply_fd >= 0) {
		close(r->reply_fd);
		r->reply_fd = -1;
	}
	r->reply = json_pack("{s:o}", "error", e);
	r->status = nl_err_status(code);
	if (code == NL_ETHROTTLED && r->err.retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%d", r->err.retry_after);
		reply_header(r, "Retry-After", ra);
	}
	if (r->status >= 500)
		NL_LOG(NL_LOG_ERROR, "%s %s failed: %s", r->method, r->path, nl_err_code(code));
}

static int is_write_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Authenticates by Bearer token or session cookie; fills r->user. */
static int authenticate(struct nl_req *r)
{
	const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0)
		return token_lookup(&r->ctx, authz + 7, &r->user);
	const char *cookie = req_cookie(r, NL_SESSION_COOKIE);
	if (cookie && *cookie)
		return session_lookup(&r->ctx, cookie, &r->user);
	return nl_fail(&r->err, NL_EUNAUTH, NULL, "Log in first (session cookie or Bearer token).");
}

static int check_csrf(struct nl_req *r)
{
	if (r->user.via_token || !is_write_method(r->method))
		return 0;
	const char *tok = req_header(r, "X-CSRF-Token");
	size_t n = strlen(r->user.csrf_token);
	if (!tok || strlen(tok) != n || n == 0 || sodium_memcmp(tok, r->user.csrf_token, n) != 0)
		return nl_fail(&r->err, NL_ECSRF, NULL, "The X-CSRF-Token header is missing or wrong.");
	return 0;
}

static int parse_body(struct conn_state *st)
{
	struct nl_req *r = &st->req;
	const struct nl_route *rt = &nl_routes[st->route];
	if (rt->flags & NL_R_RAW) {
		r->raw_body = st->body.data ? st->body.data : "";
		r->raw_len = st->body.len;
		return 0;
	}
	if (st->body.len == 0)
		return 0;
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return nl_fail(&r->err, NL_EMEDIA, NULL, "Send the body as application/json.");
	return json_parse_body(st->body.data, st->body.len, &r->body, &r->err);
}

/* Runs the request through the checks and its handler. On return the reply is set. */
static void dispatch(struct conn_state *st)
{
	struct nl_req *r = &st->req;
	struct nl_db *db = NULL;
	int rc = 0;
	log_set_request_id(r->request_id);
	if (st->route < 0) {
		if (st->route_err == NL_ENOTFOUND && static_serve(r) == 0)
			goto out;
		if (st->route_err == NL_EMETHOD)
			reply_header(r, "Allow", st->match.allow);
		rc = st->route_err ? st->route_err : NL_ENOTFOUND;
		goto out;
	}
	const struct nl_route *rt = &nl_routes[st->route];
	if (st->too_large) {
		rc = nl_fail(&r->err, NL_ETOOLARGE, NULL, "The request body is larger than %zu bytes.", st->limit);
		goto out;
	}
	if (!(rt->flags & NL_R_NODB)) {
		if ((rc = store_acquire(st->srv->store, 10000, &db)))
			goto out;
		r->ctx.db = db;
	}
	if (!(rt->flags & NL_R_PUBLIC)) {
		if ((rc = authenticate(r)))
			goto out;
		r->authenticated = 1;
		r->ctx.actor = &r->user;
		r->ctx.actor_name = r->user.username;
		if (!policy_allows(r->user.roles, rt->action)) {
			rc = nl_fail(&r->err, NL_EFORBIDDEN, NULL, "Your roles do not allow this (%s).", rt->action);
			goto out;
		}
		if ((rc = check_csrf(r)))
			goto out;
	}
	if ((rc = parse_body(st)))
		goto out;
	rc = rt->handler(r);
out:
	if (rc < 0 || (!r->reply && !r->reply_raw && r->reply_fd < 0))
		reply_error(r, rc < 0 ? rc : NL_EINTERNAL);
	if (db)
		store_release(db);
	r->ctx.db = NULL;
	log_set_request_id(NULL);
}

static void add_common_headers(struct MHD_Response *resp, struct nl_req *r)
{
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy", NL_CSP);
	int has_cc = 0;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
		if (!strcasecmp(r->header_names[i], "Cache-Control"))
			has_cc = 1;
	}
	if (!has_cc)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result send_reply(struct conn_state *st)
{
	struct nl_req *r = &st->req;
	char *data = NULL;
	size_t len = 0;
	const char *ctype = r->content_type;
	if (r->reply) {
		data = json_dumps(r->reply, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		if (!data) {
			r->status = 500;
			data = strdup("{\"error\":{\"code\":\"out_of_memory\",\"message\":\"Out of memory.\"}}");
		}
		len = data ? strlen(data) : 0;
		ctype = "application/json; charset=utf-8";
	} else if (r->reply_raw) {
		data = r->reply_raw;
		len = r->reply_raw_len;
		r->reply_raw = NULL;
	}
	struct MHD_Response *resp;
	if (!r->reply && r->reply_fd >= 0) {
		/* libmicrohttpd owns the descriptor from here and closes it when the response is destroyed */
		resp = MHD_create_response_from_fd64(r->reply_fd_size, r->reply_fd);
		if (resp)
			r->reply_fd = -1;
	} else {
		resp = MHD_create_response_from_buffer(len, data ? data : (char *)"",
			data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	}
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	add_common_headers(resp, r);
	st->sent = 1;
	enum MHD_Result ret = MHD_queue_response(st->conn, (unsigned)(r->status ? r->status : 500), resp);
	MHD_destroy_response(resp);
	return ret;
}

static void job_push(struct nl_server *srv, struct conn_state *st)
{
	pthread_mutex_lock(&srv->mu);
	st->next_job = NULL;
	if (srv->queue_tail)
		srv->queue_tail->next_job = st;
	else
		srv->queue_head = st;
	srv->queue_tail = st;
	pthread_cond_signal(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

static void *worker_main(void *arg)
{
	struct nl_server *srv = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		pthread_mutex_lock(&srv->mu);
		while (!srv->queue_head && !srv->stopping)
			pthread_cond_wait(&srv->cv, &srv->mu);
		struct conn_state *st = srv->queue_head;
		if (!st) {
			pthread_mutex_unlock(&srv->mu);
			return NULL;
		}
		srv->queue_head = st->next_job;
		if (!srv->queue_head)
			srv->queue_tail = NULL;
		pthread_mutex_unlock(&srv->mu);
		dispatch(st);
		st->phase = PH_READY;
		MHD_resume_connection(st->conn);
	}
}

/* Sets whether connection c is waiting for a request's headers (from now). */
static void watch_mark(struct MHD_Connection *c, int waiting)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_watch *w = ci ? ci->socket_context : NULL;
	if (!w)
		return;
	atomic_store(&w->since_us, now_us());
	atomic_store(&w->waiting, waiting);
}

/* MHD_OPTION_NOTIFY_CONNECTION: registers a connection when it starts, unregisters it when it closes. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	struct nl_server *srv = cls;
	struct conn_watch *w = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(w = calloc(1, sizeof *w)))
			return;             /* unwatched: only the idle timeout applies */
		w->fd = ci->connect_fd;
		atomic_store(&w->since_us, now_us());
		atomic_store(&w->waiting, 1);
		pthread_mutex_lock(&srv->watch_mu);
		w->next = srv->watch_head;
		if (w->next)
			w->next->prev = w;
		srv->watch_head = w;
		pthread_mutex_unlock(&srv->watch_mu);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && w) {
		pthread_mutex_lock(&srv->watch_mu);
		if (w->prev)
			w->prev->next = w->next;
		else
			srv->watch_head = w->next;
		if (w->next)
			w->next->prev = w->prev;
		pthread_mutex_unlock(&srv->watch_mu);
		free(w);
		*socket_context = NULL;
	}
}

/* The watchdog thread: twice a second, shuts down connections past their header deadline; every 10 s it also hands
 * the heap's free pages back to the system (malloc_trim): glibc keeps what requests free in the middle of its arenas,
 * and without this (and the mallopt of server_start) the resident size grew by 15–20% in a minute of mixed load with
 * no leak at all (tests/load, RELIABILITY.md "Load and leaks"). */
static void *watchdog_main(void *arg)
{
	struct nl_server *srv = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	uint64_t limit_us = (uint64_t)srv->cfg->connection_timeout * 1000000u;
	unsigned ticks = 0;
	pthread_mutex_lock(&srv->watch_mu);
	while (!srv->watch_stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->watch_cv, &srv->watch_mu, &ts);
		uint64_t now = now_us();
		int cut = 0;
		for (struct conn_watch *w = srv->watch_head; w; w = w->next) {
			uint64_t since = atomic_load(&w->since_us);   /* may be later than `now` (set since) */
			int unread = 0;
			if (!atomic_load(&w->waiting) || since >= now || now - since <= limit_us)
				continue;
			/* Bytes waiting in the kernel mean that libmicrohttpd's thread is behind (busy with another request),
			 * not that the client is slow: a trickling client's bytes are read as they come. */
			if (ioctl(w->fd, FIONREAD, &unread) == 0 && unread > 0)
				continue;
			atomic_store(&w->waiting, 0);
			shutdown(w->fd, SHUT_RDWR);
			cut++;
		}
		if (cut)
			NL_LOG(NL_LOG_WARN, "http: closed %d connection(s) that sent no complete request headers within %d s", cut,
				srv->cfg->connection_timeout);
		if (++ticks % 20 == 0) {
			pthread_mutex_unlock(&srv->watch_mu);   /* malloc_trim takes the allocator's locks: not under ours */
			malloc_trim(0);
			pthread_mutex_lock(&srv->watch_mu);
		}
	}
	pthread_mutex_unlock(&srv->watch_mu);
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct nl_server *srv = cls;
	struct conn_state *st = *con_cls;
	if (!st) {
		watch_mark(c, 0);       /* the headers are in */
		st = state_new(srv, c, url, method);
		if (!st)
			return MHD_NO;
		*con_cls = st;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
		if (announced > st->limit) {
			st->too_large = 1;
			/* A moderately oversized body is read and discarded so that the client, still sending, gets the 413
			 * instead of a broken pipe; a huge one is answered at once and the connection closed. */
			size_t drain = st->limit * 8 > ((size_t)16 << 20) ? st->limit * 8 : ((size_t)16 << 20);
			if (announced > drain) {
				dispatch(st);
				st->phase = PH_READY;
				return send_reply(st);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!st->too_large) {
			strbuf_append(&st->body, upload_data, *upload_data_size);
			if (st->body.failed) {
				st->too_large = 1;
				strbuf_cleanup(&st->body);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->phase == PH_READY)
		return st->sent ? MHD_YES : send_reply(st);
	if (st->phase == PH_WORKING)
		return MHD_YES;
	if (st->route >= 0 && (nl_routes[st->route].flags & NL_R_SLOW) && !st->too_large) {
		st->phase = PH_WORKING;
		MHD_suspend_connection(c);
		job_push(srv, st);
		return MHD_YES;
	}
	dispatch(st);
	st->phase = PH_READY;
	return send_reply(st);
}

static void access_log(struct conn_state *st, uint64_t micros)
{
	struct nl_req *r = &st->req;
	struct nl_strbuf b;
	strbuf_init(&b, 4096);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strbuf_printf(&b, "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02dZ\",\"level\":\"info\",\"type\":\"access\",\"req\":\"%s\","
			  "\"method\":", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		r->request_id);
	strbuf_json_string(&b, r->method, strlen(r->method));
	strbuf_puts(&b, ",\"path\":");
	strbuf_json_string(&b, r->path, strlen(r->path) > 512 ? 512 : strlen(r->path));
	strbuf_printf(&b, ",\"status\":%d,\"ms\":%.3f,\"addr\":\"%s\"", r->status, (double)micros / 1000.0, r->client_addr);
	if (r->authenticated)
		strbuf_printf(&b, ",\"user_id\":%lld", (long long)r->user.id);
	strbuf_puts(&b, "}\n");
	if (!b.failed)
		log_raw_line(b.data, b.len);
	strbuf_cleanup(&b);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	watch_mark(c, 1);           /* a kept-alive connection now waits for the next request's headers */
	struct conn_state *st = *con_cls;
	if (!st)
		return;
	uint64_t micros = now_us() - st->start_us;
	if (st->req.status == 0)
		st->req.status = 499; /* the client went away before an answer */
	metrics_record(st->route, st->req.status, micros);
	if (st->srv->cfg->access_log && nl_log_level <= NL_LOG_INFO)
		access_log(st, micros);
	json_decref(st->req.body);
	json_decref(st->req.reply);
	free(st->req.reply_raw);
	if (st->req.reply_fd >= 0)
		close(st->req.reply_fd);
	strbuf_cleanup(&st->body);
	arena_cleanup(&st->req.arena);
	free(st);
	*con_cls = NULL;
	metrics_inflight_add(-1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	NL_LOG(NL_LOG_WARN, "http: %s", msg);
}

int server_start(const struct nl_config *cfg, struct nl_store *store, struct nl_server **out, char *errbuf, size_t errlen)
{
	char host[128];
	int port;
	if (config_split_listen(cfg->listen, host, sizeof host, &port)) {
		snprintf(errbuf, errlen, "listen: expected HOST:PORT, not \"%s\"", cfg->listen);
		return NL_EVALID;
	}
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		snprintf(errbuf, errlen, "listen: \"%s\" is not an IPv4 address", host);
		return NL_EVALID;
	}
	/* Heap fragmentation (tests/load, RELIABILITY.md "Load and leaks"): requests free tens of kilobytes of mixed sizes
	 * on several threads. One malloc arena instead of up to eight per core (the per-thread caches still serve small
	 * blocks without a lock), and buffers of 128 KiB and more (large JSON answers) always mapped and unmapped instead
	 * of the adaptive threshold moving them into the heap, keep the resident size from creeping up; the watchdog's
	 * malloc_trim returns what is left free. */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	struct nl_server *s = calloc(1, sizeof *s);
	if (!s)
		return NL_ENOMEM;
	s->cfg = cfg;
	s->store = store;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->watch_mu, NULL);
	pthread_cond_init(&s->watch_cv, NULL);
	s->watchdog_running = pthread_create(&s->watchdog, NULL, watchdog_main, s) == 0;
	unsigned char rnd[4];
	randombytes_buf(rnd, sizeof rnd);
	snprintf(request_prefix, sizeof request_prefix, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);

	s->nworkers = cfg->workers;
	s->workers = calloc((size_t)s->nworkers, sizeof *s->workers);
	for (int i = 0; s->workers && i < s->nworkers; i++)
		pthread_create(&s->workers[i], NULL, worker_main, s);

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = (unsigned)(cfg->threads > 0 ? cfg->threads : (ncpu > 0 ? ncpu : 2));
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,   /* first, so that errors about the other options reach our log */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(errbuf, errlen, "cannot listen on %s (in use, or not an address of this machine)", cfg->listen);
		server_stop(s, 0);
		return NL_EINVAL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : port;
	*out = s;
	return 0;
}

int server_port(const struct nl_server *s)
{
	return s->port;
}

void server_stop(struct nl_server *s, int grace_ms)
{
	if (!s)
		return;
	if (s->daemon) {
		MHD_quiesce_daemon(s->daemon);
		for (int waited = 0; metrics_inflight() > 0 && waited < grace_ms; waited += 20)
			usleep(20000);
		MHD_stop_daemon(s->daemon);
	}
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_lock(&s->watch_mu);
	s->watch_stopping = 1;
	pthread_cond_broadcast(&s->watch_cv);
	pthread_mutex_unlock(&s->watch_mu);
	if (s->watchdog_running)
		pthread_join(s->watchdog, NULL);
	while (s->watch_head) {             /* none left once the daemon has stopped; kept for a failed start */
		struct conn_watch *w = s->watch_head;
		s->watch_head = w->next;
		free(w);
	}
	pthread_mutex_destroy(&s->watch_mu);
	pthread_cond_destroy(&s->watch_cv);
	for (int i = 0; s->workers && i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	free(s->workers);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
