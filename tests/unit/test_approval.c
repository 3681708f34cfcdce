/* test_approval.c — the generic approval mechanism against a temporary SQLite store: a request and its decision
 * (never by the requester, only by the step's role), rejection needs a comment, steps are decided in order,
 * a decided or cancelled approval takes no decision, refused calls change nothing, the lists for "who can decide",
 * and that the functions refuse to run outside the caller's transaction. Also the plan's prefill from last year's
 * finalized evaluation, which is the plan's use of data written by another room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/approval.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "cycle/plan.h"
#include "store/migrate.h"
#include "store/store.h"

struct fixture {
	char path[64];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_ctx ctx;
	struct nl_user requester;   /* planner + approver: holds the role but submitted */
	struct nl_user approver;
	struct nl_user approver2;   /* approver + planner */
	struct nl_user quality;
	struct nl_user member;
};

static void exec_sql(struct fixture *f, const char *sql)
{
	testdb_exec(f->db, sql);
}

static int64_t query_int(struct fixture *f, const char *sql)
{
	return testdb_int(f->db, sql);
}

/* Inserts a user row (no password needed here) and fills u. */
static void add_user(struct fixture *f, struct nl_user *u, int64_t id, const char *name, unsigned roles)
{
	testdb_add_user(f->db, u, id, name, roles, 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (testdb_open("approval", f->path, sizeof f->path, &f->store, &f->db))
		return -1;
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	add_user(f, &f->requester, 101, "requester", NL_ROLE_PLANNER | NL_ROLE_APPROVER);
	add_user(f, &f->approver, 102, "approver", NL_ROLE_APPROVER);
	add_user(f, &f->approver2, 103, "approver2", NL_ROLE_APPROVER | NL_ROLE_PLANNER);
	add_user(f, &f->quality, 104, "quality", NL_ROLE_QUALITY);
	add_user(f, &f->member, 105, "member", NL_ROLE_MEMBER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[96];
	store_release(f->db);
	store_close(f->store);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

/* Requests an approval as `who` in its own transaction; returns its id. */
static int64_t request(struct fixture *f, const struct nl_user *who, const char *const *roles, size_t n)
{
	int64_t id = 0;
	f->ctx.actor = who;
	assert_int_equal(db_begin(f->db), 0);
	int rc = approval_request(&f->ctx, "plan", 7, 1, roles, n, "Plan 2027 v1", &id);
	assert_int_equal(tx_end(&f->ctx, rc), 0);
	assert_true(id > 0);
	return id;
}

/* Decides as `who` in its own transaction (committed when it succeeds); returns the result code. */
static int decide(struct fixture *f, const struct nl_user *who, int64_t id, const char *decision, const char *comment,
	enum nl_approval_outcome *outcome)
{
	nl_error_clear(&f->err);
	f->ctx.actor = who;
	assert_int_equal(db_begin(f->db), 0);
	int rc = approval_decide(&f->ctx, id, decision, comment, outcome);
	int end = tx_end(&f->ctx, rc);
	assert_int_equal(end, rc);
	return rc;
}

static const char *approval_status(struct fixture *f, int64_t id)
{
	static char buf[32];
	struct nl_stmt *st;
	assert_int_equal(db_prepare(f->db, "SELECT status FROM approvals WHERE id = $1", &st), 0);
	stmt_bind_int64(st, 1, id);
	assert_int_equal(stmt_step(st), 1);
	snprintf(buf, sizeof buf, "%s", stmt_column_text(st, 0));
	stmt_done(st);
	return buf;
}

static const char *step_status(struct fixture *f, int64_t id, int seq)
{
	static char buf[32];
	struct nl_stmt *st;
	assert_int_equal(db_prepare(f->db, "SELECT status FROM approval_steps WHERE approval_id = $1 AND seq = $2", &st), 0);
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, seq);
	assert_int_equal(stmt_step(st), 1);
	snprintf(buf, sizeof buf, "%s", stmt_column_text(st, 0));
	stmt_done(st);
	return buf;
}

static void test_request_and_approve(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "approver" };
	enum nl_approval_outcome out = NL_APPROVAL_APPROVED;
	int64_t id = request(f, &f->requester, roles, 1);
	assert_string_equal(approval_status(f, id), "pending");
	assert_string_equal(step_status(f, id, 1), "pending");
	int64_t audits = query_int(f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'approval'");
	assert_int_equal(audits, 1);

	/* the requester holds the approver role but may not decide their own request */
	assert_int_equal(decide(f, &f->requester, id, "approve", NULL, &out), NL_EFORBIDDEN);
	assert_non_null(strstr(f->err.message, "submitted this; another approver must decide"));
	assert_int_equal(out, NL_APPROVAL_PENDING);
	/* a user without the step's role may not decide either */
	assert_int_equal(decide(f, &f->quality, id, "approve", NULL, &out), NL_EFORBIDDEN);
	assert_non_null(strstr(f->err.message, "approver"));
	/* nothing changed */
	assert_string_equal(approval_status(f, id), "pending");
	assert_string_equal(step_status(f, id, 1), "pending");
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'approval'"), audits);

	/* an unknown word is refused */
	assert_int_equal(decide(f, &f->approver, id, "maybe", NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "decision");

	assert_int_equal(decide(f, &f->approver, id, "approve", "同意", &out), 0);
	assert_int_equal(out, NL_APPROVAL_APPROVED);
	assert_string_equal(approval_status(f, id), "approved");
	assert_string_equal(step_status(f, id, 1), "approved");
	assert_int_equal(query_int(f, "SELECT decided_by FROM approval_steps WHERE seq = 1"), f->approver.id);
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'approval'"), audits + 1);

	/* deciding twice */
	assert_int_equal(decide(f, &f->approver2, id, "approve", NULL, &out), NL_ESTATE);
	assert_int_equal(decide(f, &f->approver2, id, "reject", "too late", &out), NL_ESTATE);
	assert_string_equal(approval_status(f, id), "approved");

	json_t *a = NULL;
	f->ctx.actor = &f->approver;
	assert_int_equal(approval_get(&f->ctx, id, &a), 0);
	assert_string_equal(json_string_value(json_object_get(a, "status")), "approved");
	assert_true(json_is_null(json_object_get(a, "current_step")));
	assert_false(json_is_true(json_object_get(a, "can_decide")));
	json_t *s0 = json_array_get(json_object_get(a, "steps"), 0);
	assert_string_equal(json_string_value(json_object_get(s0, "comment")), "同意");
	assert_string_equal(json_string_value(json_object_get(s0, "decided_by_name")), "approver");
	json_decref(a);
	assert_int_equal(approval_get(&f->ctx, 9999, &a), NL_ENOTFOUND);
}

static void test_reject_needs_comment(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "approver", "quality" };
	enum nl_approval_outcome out;
	int64_t id = request(f, &f->requester, roles, 2);
	assert_int_equal(decide(f, &f->approver, id, "reject", NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "comment");
	assert_int_equal(decide(f, &f->approver, id, "reject", "  \n", &out), NL_EVALID);
	assert_string_equal(f->err.field, "comment");
	assert_string_equal(approval_status(f, id), "pending");
	assert_string_equal(step_status(f, id, 1), "pending");

	assert_int_equal(decide(f, &f->approver, id, "reject", "预算不足，请修改", &out), 0);
	assert_int_equal(out, NL_APPROVAL_REJECTED);
	assert_string_equal(approval_status(f, id), "rejected");
	assert_string_equal(step_status(f, id, 1), "rejected");
	assert_string_equal(step_status(f, id, 2), "skipped");
	/* the later step's role cannot revive it */
	assert_int_equal(decide(f, &f->quality, id, "approve", NULL, &out), NL_ESTATE);
}

static void test_steps_in_order(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "quality", "approver" };
	enum nl_approval_outcome out;
	int64_t id = request(f, &f->requester, roles, 2);
	assert_string_equal(step_status(f, id, 2), "waiting");
	/* the approver's step is not current yet */
	assert_int_equal(decide(f, &f->approver, id, "approve", NULL, &out), NL_EFORBIDDEN);
	assert_string_equal(step_status(f, id, 1), "pending");

	json_t *items = NULL;
	assert_int_equal(approval_pending_for(&f->ctx, &f->quality, &items), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	assert_int_equal(approval_pending_for(&f->ctx, &f->approver, &items), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);

	assert_int_equal(decide(f, &f->quality, id, "approve", NULL, &out), 0);
	assert_int_equal(out, NL_APPROVAL_PENDING);
	assert_string_equal(approval_status(f, id), "pending");
	assert_string_equal(step_status(f, id, 1), "approved");
	assert_string_equal(step_status(f, id, 2), "pending");
	/* quality decided its step; the next belongs to the approver */
	assert_int_equal(decide(f, &f->quality, id, "approve", NULL, &out), NL_EFORBIDDEN);

	assert_int_equal(approval_pending_for(&f->ctx, &f->approver, &items), 0);
	assert_int_equal(json_array_size(items), 1);
	json_t *a = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(a, "id")), id);
	assert_true(json_is_true(json_object_get(a, "can_decide")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "current_step"), "role")), "approver");
	json_decref(items);
	/* the requester holds the approver role but never sees their own request as decidable */
	assert_int_equal(approval_pending_for(&f->ctx, &f->requester, &items), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);

	assert_int_equal(decide(f, &f->approver2, id, "approve", "ok", &out), 0);
	assert_int_equal(out, NL_APPROVAL_APPROVED);
	assert_string_equal(approval_status(f, id), "approved");
}

static void test_lists(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "approver" };
	enum nl_approval_outcome out;
	int64_t a1 = request(f, &f->requester, roles, 1);
	int64_t a2 = request(f, &f->approver2, roles, 1);
	json_t *items = NULL;
	int64_t next = -1;

	/* approver2 can decide a1 (not their own a2) */
	f->ctx.actor = &f->approver2;
	struct nl_approval_filter pf = { .status = "pending", .limit = 50 };
	assert_int_equal(approval_list(&f->ctx, &pf, &items, &next), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), a1);
	assert_int_equal(next, 0);
	json_decref(items);
	/* their own requests */
	struct nl_approval_filter mf = { .mine = 1, .limit = 50 };
	assert_int_equal(approval_list(&f->ctx, &mf, &items, &next), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), a2);
	json_decref(items);
	/* the plain approver sees both, newest first, one per page */
	f->ctx.actor = &f->approver;
	pf.limit = 1;
	assert_int_equal(approval_list(&f->ctx, &pf, &items, &next), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), a2);
	assert_int_equal(next, a2);
	json_decref(items);
	pf.cursor = next;
	assert_int_equal(approval_list(&f->ctx, &pf, &items, &next), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), a1);
	json_decref(items);
	/* once decided, it shows among the approvals the approver took part in */
	assert_int_equal(decide(f, &f->approver, a1, "approve", NULL, &out), 0);
	f->ctx.actor = &f->approver;
	struct nl_approval_filter df = { .status = "approved", .limit = 50 };
	assert_int_equal(approval_list(&f->ctx, &df, &items, &next), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	/* a member sees nothing to decide */
	assert_int_equal(approval_pending_for(&f->ctx, &f->member, &items), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	json_t *latest = NULL;
	assert_int_equal(approval_latest_for(&f->ctx, "plan", 7, &latest), 0);
	assert_int_equal(json_integer_value(json_object_get(latest, "id")), a2);
	json_decref(latest);
	assert_int_equal(approval_latest_for(&f->ctx, "reward", 7, &latest), 0);
	assert_null(latest);
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "approver", "quality" };
	enum nl_approval_outcome out;
	int64_t id = request(f, &f->requester, roles, 2);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(tx_end(&f->ctx, approval_cancel(&f->ctx, id, "withdrawn")), 0);
	assert_string_equal(approval_status(f, id), "cancelled");
	assert_string_equal(step_status(f, id, 1), "skipped");
	assert_string_equal(step_status(f, id, 2), "skipped");
	assert_int_equal(decide(f, &f->approver, id, "approve", NULL, &out), NL_ESTATE);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(tx_end(&f->ctx, approval_cancel(&f->ctx, id, NULL)), NL_ESTATE);
}

static void test_needs_transaction(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "approver" };
	static const char *const bad[] = { "king" };
	enum nl_approval_outcome out;
	int64_t id = 0;
	f->ctx.actor = &f->requester;
	assert_int_equal(approval_request(&f->ctx, "plan", 7, 1, roles, 1, NULL, &id), NL_EINTERNAL);
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM approvals"), 0);
	id = request(f, &f->requester, roles, 1);
	f->ctx.actor = &f->approver;
	assert_int_equal(approval_decide(&f->ctx, id, "approve", NULL, &out), NL_EINTERNAL);
	assert_int_equal(approval_cancel(&f->ctx, id, NULL), NL_EINTERNAL);
	assert_string_equal(approval_status(f, id), "pending");
	/* bad arguments: an unknown role, no steps */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(approval_request(&f->ctx, "plan", 7, 1, bad, 1, NULL, &id), NL_EINTERNAL);
	assert_int_equal(approval_request(&f->ctx, "plan", 7, 1, roles, 0, NULL, &id), NL_EINTERNAL);
	db_rollback(f->db);
}

/* The plan's review is prefilled from the finalized evaluation of the year before, and only a finalized one. */
static void test_plan_prefill(void **state)
{
	struct fixture *f = *state;
	json_t *p = NULL;
	f->ctx.actor = &f->requester;
	exec_sql(f, "INSERT INTO departments (id, code, name, created_at, updated_at)"
		    " VALUES (9, 'ITOPS', 'IT运维事业部', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	exec_sql(f, "INSERT INTO evaluations (year, status, problems, suggestions, conclusion, snapshot, created_at, updated_at)"
		    " VALUES (2026, 'finalized', '[\"备件不足\", {\"text\": \"变更未评审\", \"element\": \"process\"}]',"
		    " '[{\"text\": \"建立备件库\", \"owner_department_id\": 9, \"owner_user_id\": 102, \"due_date\": \"2027-06-30\","
		    " \"priority\": \"high\"}, {\"text\": \"加强培训\", \"owner_user_id\": null}]',"
		    " '年度目标基本达成。', '{\"metrics\": {\"summary\": {\"met\": 8, \"warning\": 1, \"missed\": 1, \"no_data\": 0,"
		    " \"total\": 10}, \"rows\": [{\"code\": \"M-FCR\", \"name\": \"首次解决率\", \"status\": \"missed\"},"
		    " {\"code\": \"M-SAT\", \"name\": \"满意度\", \"status\": \"met\"}]}, \"plan_completion\": {\"tasks_total\": 12,"
		    " \"done_on_time\": 9, \"done_late\": 2, \"open\": 1}}', '2026-12-20T08:00:00Z', '2026-12-20T08:00:00Z')");
	exec_sql(f, "INSERT INTO evaluations (year, status, problems, created_at, updated_at)"
		    " VALUES (2027, 'draft', '[\"should not be copied\"]', '2027-12-20T08:00:00Z', '2027-12-20T08:00:00Z')");
	assert_int_equal(plan_create(&f->ctx, 2027, "2027年度服务能力管理计划", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "doc_number")), "NL-CAP-2027");
	assert_string_equal(json_string_value(json_object_get(p, "status")), "draft");
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
	const char *ach = json_string_value(json_object_get(p, "review_achievements"));
	const char *prob = json_string_value(json_object_get(p, "review_problems"));
	const char *carry = json_string_value(json_object_get(p, "review_carryover"));
	assert_string_equal(ach, "年度目标基本达成。\n\n指标达成 (metrics)：共 10 项，达标 met 8 项，预警 warning 1 项，"
				 "未达标 missed 1 项。\n未达标指标 (missed)：M-FCR 首次解决率\n工作项 (work items)：共 12 项，"
				 "按期完成 on time 9 项，延期完成 late 2 项，未完成 open 1 项。");
	assert_string_equal(prob, "1. 备件不足\n2. 变更未评审 (要素 element: 过程)");
	assert_string_equal(carry, "1. 建立备件库 (责任 owner: IT运维事业部 / approver; 完成 due: 2027-06-30; 优先级 priority: high)"
				   "\n2. 加强培训");
	json_decref(p);

	/* a second plan for 2027 conflicts; 2028 has only a draft evaluation behind it: nothing prefilled */
	assert_int_equal(plan_create(&f->ctx, 2027, "again", &p), NL_ECONFLICT);
	assert_string_equal(f->err.field, "year");
	nl_error_clear(&f->err);
	assert_int_equal(plan_create(&f->ctx, 2028, "2028", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "review_problems")), "");
	assert_string_equal(json_string_value(json_object_get(p, "review_achievements")), "");
	json_decref(p);
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM plans"), 2);
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM plan_history WHERE action = 'created'"), 2);

	/* an empty plan cannot be submitted: the message names the missing elements */
	int64_t id = query_int(f, "SELECT id FROM plans WHERE year = 2028");
	nl_error_clear(&f->err);
	assert_int_equal(plan_submit(&f->ctx, id, &p), NL_EVALID);
	assert_string_equal(f->err.field, "items");
	assert_non_null(strstr(f->err.message, "people, process, technology, resources"));
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM approvals"), 0);
	assert_int_equal(query_int(f, "SELECT status = 'draft' FROM plans WHERE year = 2028"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_and_approve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_needs_comment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_steps_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_needs_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_prefill, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
