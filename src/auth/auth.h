/* auth.h — the authenticated principal, roles, and the permission policy: one table of role × action (plus the
 * department scope), so that later rooms only add rows to it. The HTTP layer checks each route's action here;
 * domains call policy_scope_allows() when the answer depends on the record's department. */
#ifndef NL_AUTH_H
#define NL_AUTH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum nl_role {
	NL_ROLE_ADMIN = 1u << 0,
	NL_ROLE_APPROVER = 1u << 1,
	NL_ROLE_PLANNER = 1u << 2,
	NL_ROLE_HR = 1u << 3,
	NL_ROLE_QUALITY = 1u << 4,
	NL_ROLE_MEMBER = 1u << 5,
	NL_ROLE_AUDITOR = 1u << 6,
};
#define NL_ROLE_ALL 0x7Fu
#define NL_ROLE_COUNT 7

struct nl_user {
	int64_t id;
	char username[64];
	char display_name[256];
	int64_t department_id;   /* 0 when none */
	unsigned roles;          /* NL_ROLE_* bits */
	int active;
	int via_token;           /* authenticated by an API token (no CSRF needed) */
	char csrf_token[64];     /* of the cookie session; empty for tokens */
	char session_hash[72];   /* of the cookie session; empty for tokens */
};

/* The role names in CONTRACT.md order: admin, approver, planner, hr, quality, member, auditor. */
extern const char *const nl_role_names[];
/* Returns the bit for a role name, 0 when unknown. */
unsigned role_parse(const char *name);
/* A JSON array of the role names set in bits. */
json_t *roles_to_json(unsigned bits);
/* SQL (both engines) for the NL_ROLE_* bits of the user whose id is the SQL expression `uid`, as a scalar subquery:
 * lets a user's row and roles come in one statement (one read transaction fewer on every authenticated request).
 * Roles are unique per user, so the sum is the bitwise or; the bits follow enum nl_role (checked in session.c). */
#define NL_ROLE_BITS_SQL(uid) "(SELECT COALESCE(SUM(CASE r.role WHEN 'admin' THEN 1 WHEN 'approver' THEN 2" \
	" WHEN 'planner' THEN 4 WHEN 'hr' THEN 8 WHEN 'quality' THEN 16 WHEN 'member' THEN 32 WHEN 'auditor' THEN 64" \
	" ELSE 0 END), 0) FROM user_roles r WHERE r.user_id = " uid ")"

enum nl_scope {
	NL_SCOPE_ALL = 0,        /* every department's records */
	NL_SCOPE_DEPARTMENT = 1, /* only records of the user's own department */
};

/* Returns 1 when a user with `roles` may perform `action` at all (in some scope). Unknown actions are denied. */
int policy_allows(unsigned roles, const char *action);
/* Returns 1 when the user may perform `action` on a record owned by `department_id`. */
int policy_scope_allows(const struct nl_user *u, const char *action, int64_t department_id);
/* Returns 1 when `action` is in the policy table (routes are checked against it at start-up and in tests). */
int policy_known(const char *action);
/* The actions the roles allow, as a JSON array of strings (for GET /me). */
json_t *policy_actions_json(unsigned roles);
/* The number of rows of the policy table (for GET /api/v1/roles). */
size_t policy_count(void);
/* Row i of the policy table, in table order: its action, the roles allowed everywhere, the roles allowed only for
 * their own department and the description (static strings). Returns 0, or NL_ENOTFOUND when i is past the end. */
int policy_row_at(size_t i, const char **action, unsigned *roles, unsigned *dept_roles, const char **what);

#endif
