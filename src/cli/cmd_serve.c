/* cmd_serve.c — `nengli serve`: configuration, store, migrations, the HTTP server, and a signal thread that
 * turns SIGTERM/SIGINT into a graceful shutdown (finish requests in flight, close the store). */
#include "cli/cli.h"

#include "core/log.h"
#include "documents/documents.h"
#include "http/server.h"
#include "store/migrate.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

int cmd_serve(int argc, char **argv)
{
	static struct nl_config cfg;   /* static: handlers read it through config_current() until exit */
	struct nl_store *store = NULL;
	struct nl_server *srv = NULL;
	char err[512];
	int ex = NL_EXIT_FAIL;

	config_defaults(&cfg);
	int rc = config_load(&cfg, argc, argv, NULL, err, sizeof err);
	if (rc) {
		fprintf(stderr, "nengli: %s\n", err);
		return rc == NL_EINVAL ? NL_EXIT_USAGE : NL_EXIT_FAIL;
	}
	nl_log_level = cfg.log_level;
	config_set_current(&cfg);

	/* Block the shutdown signals in every thread; this one waits for them with sigwait. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cfg.threads > 0 ? cfg.threads : (int)(ncpu > 0 ? ncpu : 2);
	struct nl_store_options opt = { .pool_size = threads + cfg.workers + 1, .busy_timeout_ms = 10000,
		.synchronous_full = cfg.sqlite_synchronous_full, .create = 1 };
	if (store_open(cfg.db, &opt, &store, err, sizeof err)) {
		fprintf(stderr, "nengli: %s\n", err);
		return NL_EXIT_FAIL;
	}
	int applied = 0;
	if (migrate_apply(store, &applied, err, sizeof err)) {
		fprintf(stderr, "nengli: %s\n", err);
		goto out;
	}
	documents_warm();   /* Pango's first layout costs ~350 ms: pay it before serving (issue 6) */
	if (server_start(&cfg, store, &srv, err, sizeof err)) {
		fprintf(stderr, "nengli: %s\n", err);
		goto out;
	}
	NL_LOG(NL_LOG_INFO, "serving http://%s (database %s, %d threads, %d workers, %d migrations applied)", cfg.listen,
		store_display_url(store), threads, cfg.workers, applied);
	int sig = 0;
	sigwait(&sigs, &sig);
	NL_LOG(NL_LOG_INFO, "signal %d: finishing requests in flight, then stopping", sig);
	server_stop(srv, 10000);
	srv = NULL;
	ex = NL_EXIT_OK;
	NL_LOG(NL_LOG_INFO, "stopped");
out:
	server_stop(srv, 0);
	store_close(store);
	return ex;
}
