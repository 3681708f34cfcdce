/* server.h — the HTTP server: libmicrohttpd with an internal thread pool in poll mode (STACK-NOTES: epoll stalls
 * at 128 ready sockets in 0.9.75), a worker pool for slow routes (suspend/resume), and graceful shutdown. */
#ifndef NL_SERVER_H
#define NL_SERVER_H

#include "core/config.h"
#include "store/store.h"

struct nl_server;

/* Starts serving cfg->listen with the store (borrowed; must outlive the server). 0, or NL_EINVAL with errbuf. */
int server_start(const struct nl_config *cfg, struct nl_store *store, struct nl_server **out, char *errbuf,
	size_t errlen) __attribute__((warn_unused_result));
/* Stops accepting, waits up to grace_ms for requests in flight, then stops every thread and frees the server. */
void server_stop(struct nl_server *s, int grace_ms);
/* The port actually bound (useful with port 0). */
int server_port(const struct nl_server *s);

#endif
