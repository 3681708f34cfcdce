/* policy.c — who may do what: the one table of actions × roles × scope. Every route names an action from here;
 * the HTTP layer refuses a request whose user holds none of the action's roles (403). Later rooms add rows. */
#include "auth/auth.h"
#include "core/err.h"

#include <string.h>

#include "core/common.h"

#define A NL_ROLE_ADMIN
#define AP NL_ROLE_APPROVER
#define PL NL_ROLE_PLANNER
#define HR NL_ROLE_HR
#define Q NL_ROLE_QUALITY
#define M NL_ROLE_MEMBER
#define AU NL_ROLE_AUDITOR

struct policy_row {
	const char *action;
	unsigned roles;          /* roles allowed in every department */
	unsigned dept_roles;     /* roles allowed only for their own department's records */
	const char *what;
};

static const struct policy_row policy[] = {
	{ "self", NL_ROLE_ALL, 0, "read and change one's own account, sessions and API tokens" },
	{ "org.read", NL_ROLE_ALL, 0, "read departments, the user directory and settings" },
	{ "org.write", A, 0, "create and change departments, users, roles and settings" },
	{ "audit.read", A | AU, 0, "read the audit log" },
	/* the yearly cycle (CONTRACT.md "The yearly cycle") */
	{ "cycle.read", NL_ROLE_ALL, 0, "read plans, metrics, achievement, work items, tracking, evaluations" },
	{ "catalogue.write", A | PL, 0, "maintain the catalogue of capability sub-areas" },
	{ "plan.create", PL, 0, "draft the annual capability plan, revise an approved one, submit it" },
	{ "plan.edit", PL | HR | Q, 0, "edit a draft or rejected plan's review and tracking sections" },
	{ "plan.item.write", PL | HR, 0, "add and change the plan's items" },
	{ "plan.meeting", PL | Q, 0, "record the plan's review meetings" },
	{ "plan.approve", AP, 0, "approve or reject a submitted plan (never one's own)" },
	{ "metric.write", Q, 0, "define the measurement plan" },
	{ "metric.value.write", Q, HR | PL | M, "enter achievement values (others: for their department's metrics)" },
	{ "achievement.manage", Q, 0, "compute the achievement table from the records and close periods" },
	{ "task.write", PL, HR | Q | M, "create department work items (others: for their own department)" },
	{ "task.progress", PL, HR | Q | M, "report progress on work items (others: their department's)" },
	{ "task.check", Q, 0, "record and verify quality's checks on work items" },
	{ "evaluation.write", Q, 0, "edit and finalize the annual evaluation" },
	/* service records (CONTRACT.md "Service records") */
	{ "records.read", NL_ROLE_ALL, 0, "read tickets, complaints, ratings, surveys, KPIs (personal data masked)" },
	{ "customer.pii", A | PL | Q, 0, "see customers' phone numbers and e-mail addresses in full" },
	{ "records.write", A | PL | Q, M, "record tickets and customers (members: their department's tickets)" },
	{ "import.run", A | PL | Q, 0, "import tickets from files and other systems" },
	{ "sla.write", A | PL, 0, "maintain SLA policies and business calendars" },
	{ "complaint.register", A | PL | Q | M, 0, "register a complaint" },
	{ "complaint.handle", PL | Q, 0, "verify, answer, rectify, archive and reopen complaints" },
	{ "rating.write", NL_ROLE_ALL, 0, "rate a ticket's service (never one's own ticket)" },
	{ "survey.manage", Q, 0, "run satisfaction survey campaigns" },
	/* people, partners and improvement (CONTRACT.md "People, partners and improvement") */
	{ "people.read", NL_ROLE_ALL, 0, "read staff, skills, certifications and the training plan" },
	{ "people.write", A | HR, 0, "maintain staff, skills, certifications, trainings and attendance" },
	{ "appraisal.read", A | HR | AP | AU, PL | Q | M, "read appraisals (others: their own department's)" },
	{ "appraisal.write", HR, 0, "record appraisals and their criteria" },
	{ "reward.propose", HR | Q | PL, 0, "propose rewards and penalties (approved by the approver)" },
	{ "reward.approve", AP, 0, "approve or reject a proposed reward or penalty (never one's own proposal)" },
	{ "partner.write", Q | PL, 0, "maintain partner profiles, assessment dimensions and quarterly assessments" },
	{ "partner.rate", Q, 0, "request a partner's annual rating (approved by the approver)" },
	{ "partner.rating.approve", AP, 0, "approve or reject a partner's annual rating (never one's own request)" },
	{ "innovation.propose", NL_ROLE_ALL & ~AU, 0, "propose an innovation" },
	{ "innovation.advance", Q | PL, 0, "move proposals to pilot, adoption or rejection" },
	{ "risk.write", Q | PL, 0, "maintain the risk register" },
};

const char *const nl_role_names[] = { "admin", "approver", "planner", "hr", "quality", "member", "auditor", NULL };

unsigned role_parse(const char *name)
{
	for (int i = 0; nl_role_names[i]; i++)
		if (!strcmp(name, nl_role_names[i]))
			return 1u << i;
	return 0;
}

json_t *roles_to_json(unsigned bits)
{
	json_t *a = json_array();
	for (int i = 0; nl_role_names[i]; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(nl_role_names[i]));
	return a;
}

static const struct policy_row *policy_find(const char *action)
{
	for (size_t i = 0; i < NL_ARRAY_LEN(policy); i++)
		if (!strcmp(policy[i].action, action))
			return &policy[i];
	return NULL;
}

int policy_known(const char *action)
{
	return policy_find(action) != NULL;
}

int policy_allows(unsigned roles, const char *action)
{
	const struct policy_row *p = action ? policy_find(action) : NULL;
	return p && (roles & (p->roles | p->dept_roles)) != 0;
}

int policy_scope_allows(const struct nl_user *u, const char *action, int64_t department_id)
{
	const struct policy_row *p = action ? policy_find(action) : NULL;
	if (!p || !u)
		return 0;
	if (u->roles & p->roles)
		return 1;
	return (u->roles & p->dept_roles) && u->department_id > 0 && u->department_id == department_id;
}

json_t *policy_actions_json(unsigned roles)
{
	json_t *a = json_array();
	for (size_t i = 0; i < NL_ARRAY_LEN(policy); i++)
		if (roles & (policy[i].roles | policy[i].dept_roles))
			json_array_append_new(a, json_string(policy[i].action));
	return a;
}

size_t policy_count(void)
{
	return NL_ARRAY_LEN(policy);
}

int policy_row_at(size_t i, const char **action, unsigned *roles, unsigned *dept_roles, const char **what)
{
	if (i >= NL_ARRAY_LEN(policy))
		return NL_ENOTFOUND;
	*action = policy[i].action;
	*roles = policy[i].roles;
	*dept_roles = policy[i].dept_roles;
	*what = policy[i].what;
	return 0;
}
