/* policy_api.c — GET /api/v1/roles: the role names and, per action of the policy table, who may do it everywhere and
 * who only for their own department. Read-only; the table itself stays in policy.c. */
#include "auth/policy_api.h"

#include "auth/auth.h"
#include "http/http.h"

#include "core/common.h"

int api_roles_list(struct nl_req *r)
{
	json_t *out = json_object(), *names = json_array(), *items = json_array();
	for (int i = 0; nl_role_names[i]; i++)
		json_array_append_new(names, json_string(nl_role_names[i]));
	size_t n = policy_count();
	for (size_t i = 0; i < n; i++) {
		const char *action, *what;
		unsigned roles, dept_roles;
		if (policy_row_at(i, &action, &roles, &dept_roles, &what))
			break;
		json_t *it = json_object();
		json_object_set_new(it, "action", json_string(action));
		json_object_set_new(it, "description", json_string(what));
		json_object_set_new(it, "roles", roles_to_json(roles));
		json_object_set_new(it, "department_roles", roles_to_json(dept_roles));
		json_array_append_new(items, it);
	}
	json_object_set_new(out, "roles", names);
	json_object_set_new(out, "items", items);
	return reply_json(r, 200, out);
}
