/* test_config.c — configuration precedence (defaults < file < environment < flags) and validation messages
 * that name the key and where the bad value came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cidr.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"

static char cfg_path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(cfg_path, sizeof cfg_path, "/tmp/nengli-test-config-%d.conf", (int)getpid());
	FILE *f = fopen(cfg_path, "w");
	fprintf(f, "# a comment\nlisten = 127.0.0.1:9001\nworkers = 7\nlog_level = \"debug\"\ndb = /tmp/from-file.db\n");
	fclose(f);
	unsetenv("NENGLI_LISTEN");
	unsetenv("NENGLI_WORKERS");
	unsetenv("NENGLI_DB");
	unsetenv("NENGLI_CONFIG");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cfg_path);
	unsetenv("NENGLI_LISTEN");
	unsetenv("NENGLI_WORKERS");
	unsetenv("NENGLI_DB");
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	struct nl_config c;
	config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_string_equal(c.db, "./var/nengli.db");
	assert_int_equal(c.log_level, NL_LOG_INFO);
	assert_int_equal(c.login_max_failures, 5);
}

static void test_precedence(void **state)
{
	(void)state;
	struct nl_config c;
	char err[256] = "";
	char *argv1[] = { "--config", cfg_path };
	config_defaults(&c);
	assert_int_equal(config_load(&c, 2, argv1, NULL, err, sizeof err), 0);
	assert_string_equal(c.listen, "127.0.0.1:9001");      /* file beats default */
	assert_int_equal(c.workers, 7);
	assert_int_equal(c.log_level, NL_LOG_DEBUG);
	setenv("NENGLI_LISTEN", "127.0.0.1:9002", 1);
	setenv("NENGLI_DB", "postgresql://u@h/db", 1);
	config_defaults(&c);
	assert_int_equal(config_load(&c, 2, argv1, NULL, err, sizeof err), 0);
	assert_string_equal(c.listen, "127.0.0.1:9002");      /* environment beats file */
	assert_string_equal(c.db, "postgresql://u@h/db");
	assert_int_equal(c.workers, 7);
	char *argv2[] = { "--config", cfg_path, "--listen", "127.0.0.1:9003", "--workers=3" };
	config_defaults(&c);
	assert_int_equal(config_load(&c, 5, argv2, NULL, err, sizeof err), 0);
	assert_string_equal(c.listen, "127.0.0.1:9003");      /* flag beats environment */
	assert_int_equal(c.workers, 3);
}

static void test_errors_name_key_and_source(void **state)
{
	(void)state;
	struct nl_config c;
	char err[256] = "";
	char *bad_flag[] = { "--workers", "0" };
	config_defaults(&c);
	assert_int_equal(config_load(&c, 2, bad_flag, NULL, err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, "workers"));
	assert_non_null(strstr(err, "flag"));
	setenv("NENGLI_WORKERS", "many", 1);
	config_defaults(&c);
	assert_int_equal(config_load(&c, 0, NULL, NULL, err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, "NENGLI_WORKERS"));
	unsetenv("NENGLI_WORKERS");
	char *unknown[] = { "--colour", "red" };
	assert_int_equal(config_load(&c, 2, unknown, NULL, err, sizeof err), NL_EINVAL);
	assert_non_null(strstr(err, "--colour"));
	char *missing[] = { "--listen" };
	assert_int_equal(config_load(&c, 1, missing, NULL, err, sizeof err), NL_EINVAL);
	assert_non_null(strstr(err, "listen"));
	/* a command's own flags are skipped with their value */
	const char *const extra[] = { "username", NULL };
	char *with_extra[] = { "--username", "bob", "--listen", "127.0.0.1:1" };
	config_defaults(&c);
	assert_int_equal(config_load(&c, 4, with_extra, extra, err, sizeof err), 0);
	assert_string_equal(c.listen, "127.0.0.1:1");
	FILE *f = fopen(cfg_path, "w");
	fprintf(f, "threads = 2\nnot a pair\n");
	fclose(f);
	char *argv1[] = { "--config", cfg_path };
	config_defaults(&c);
	assert_int_equal(config_load(&c, 2, argv1, NULL, err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, ":2:"));
}

/* trusted-proxies and cookie-secure: validated when read, the list matches addresses and ranges of both families. */
static void test_proxy_settings(void **state)
{
	(void)state;
	struct nl_config c;
	char err[256];
	config_defaults(&c);
	assert_string_equal(c.trusted_proxies, "");
	assert_int_equal(c.cookie_secure, NL_COOKIE_SECURE_AUTO);
	assert_int_equal(config_set(&c, "trusted-proxies", "127.0.0.1, ::1,10.0.0.0/8 2001:db8::/32", "t", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "trusted-proxies", "10.0.0.0/33", "t", err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, "trusted-proxies"));
	assert_int_equal(config_set(&c, "trusted-proxies", "127.0.0.1, nginx", "t", err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, "\"nginx\""));
	assert_int_equal(config_set(&c, "cookie-secure", "on", "t", err, sizeof err), 0);
	assert_int_equal(c.cookie_secure, NL_COOKIE_SECURE_ON);
	assert_int_equal(config_set(&c, "cookie-secure", "sometimes", "t", err, sizeof err), NL_EVALID);
	assert_non_null(strstr(err, "cookie-secure"));

	struct nl_cidr_list l;
	assert_int_equal(cidr_list_parse("127.0.0.1, ::1,10.0.0.0/8 2001:db8::/32 192.168.1.77/24", &l, err, sizeof err), 0);
	assert_int_equal(l.n, 5);
	assert_true(cidr_list_match(&l, "127.0.0.1"));
	assert_false(cidr_list_match(&l, "127.0.0.2"));
	assert_true(cidr_list_match(&l, "::1"));
	assert_true(cidr_list_match(&l, "::ffff:127.0.0.1"));     /* IPv4-mapped counts as IPv4 */
	assert_true(cidr_list_match(&l, "10.255.0.3"));
	assert_false(cidr_list_match(&l, "11.0.0.1"));
	assert_true(cidr_list_match(&l, "192.168.1.5"));          /* host bits of the range cleared */
	assert_false(cidr_list_match(&l, "192.168.2.5"));
	assert_true(cidr_list_match(&l, "2001:db8:ffff::9"));
	assert_false(cidr_list_match(&l, "2001:db9::1"));
	assert_false(cidr_list_match(&l, "not-an-address"));
	assert_int_equal(cidr_list_parse("", &l, err, sizeof err), 0);
	assert_int_equal(l.n, 0);
	assert_false(cidr_list_match(&l, "127.0.0.1"));
}

static void test_split_listen(void **state)
{
	(void)state;
	char host[64];
	int port;
	assert_int_equal(config_split_listen("127.0.0.1:8080", host, sizeof host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(config_split_listen("127.0.0.1", host, sizeof host, &port), NL_EVALID);
	assert_int_equal(config_split_listen("h:70000", host, sizeof host, &port), NL_EVALID);
	assert_int_equal(config_split_listen(":80", host, sizeof host, &port), NL_EVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_name_key_and_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_listen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proxy_settings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
