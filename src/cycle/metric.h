/* metric.h — the measurement plan (运维服务管理目标度量计划): the metrics of a year, each with its code, element,
 * definition, unit, direction, target and warning threshold, frequency, data source ("manual" or a built-in measure),
 * method, owner department and linked plan item. Every write validates first, then runs in one transaction with its
 * audit row. Objects come back as JSON in the shape of CONTRACT.md (the caller owns the returned json_t). */
#ifndef NL_METRIC_H
#define NL_METRIC_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "cycle/period.h"
#include "cycle/rules.h"

/* The years a measurement plan may be made for (the same as the plans'). */
#define NL_METRIC_MIN_YEAR 2000
#define NL_METRIC_MAX_YEAR 2100

/* Longest metric code: letters, digits, '.', '_' and '-'. */
#define NL_METRIC_CODE_MAX 32

/* What a client sends to create or change a metric. Strings are borrowed. */
struct nl_metric_input {
	int64_t year;
	const char *code, *name, *name_en, *element, *definition, *formula, *unit, *direction, *frequency, *source, *method;
	double target;
	int has_warning;              /* 0: no warning threshold (a value is met or missed) */
	double warning;
	int64_t owner_department_id;  /* 0: none (only quality may then enter values) */
	int64_t plan_item_id;         /* 0: none */
};

/* Which fields a PATCH changes (metric_update's `set`). */
#define NL_METRIC_SET_CODE (1u << 0)
#define NL_METRIC_SET_NAME (1u << 1)
#define NL_METRIC_SET_NAME_EN (1u << 2)
#define NL_METRIC_SET_ELEMENT (1u << 3)
#define NL_METRIC_SET_DEFINITION (1u << 4)
#define NL_METRIC_SET_FORMULA (1u << 5)
#define NL_METRIC_SET_UNIT (1u << 6)
#define NL_METRIC_SET_DIRECTION (1u << 7)
#define NL_METRIC_SET_TARGET (1u << 8)
#define NL_METRIC_SET_WARNING (1u << 9)
#define NL_METRIC_SET_FREQUENCY (1u << 10)
#define NL_METRIC_SET_SOURCE (1u << 11)
#define NL_METRIC_SET_METHOD (1u << 12)
#define NL_METRIC_SET_OWNER (1u << 13)
#define NL_METRIC_SET_PLAN_ITEM (1u << 14)

/* The parts of a stored metric the achievement table works with. */
struct nl_metric {
	int64_t id;
	int year;
	char code[NL_METRIC_CODE_MAX + 1];
	struct nl_goal goal;                 /* direction, target, warning */
	enum nl_period_kind frequency;
	char source[96];
	int64_t owner_department_id;         /* 0: none */
};

/* Returns 1 when code is 1..NL_METRIC_CODE_MAX characters of [A-Za-z0-9._-], else 0. */
int metric_code_valid(const char *code);
/* Returns 1 when source is "manual" or "measure:<key>" with key in the catalogue (measure.h), else 0. */
int metric_source_valid(const char *source);

/* Creates a metric. NL_EVALID naming the field (warning on the wrong side of the target: "warning"; an unknown
 * measure: "source"; a plan item not of the plan of that year: "plan_item_id"; an unknown department:
 * "owner_department_id"), NL_ECONFLICT naming "code" when the year has that code already. */
int metric_create(struct nl_ctx *ctx, const struct nl_metric_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields whose NL_METRIC_SET_* bit is in `set` (the year never changes). Values already recorded keep the
 * target and warning they were recorded with. Same errors as metric_create, and NL_ENOTFOUND. */
int metric_update(struct nl_ctx *ctx, int64_t id, const struct nl_metric_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Deletes a metric that has no values; NL_ECONFLICT when it has some, NL_ENOTFOUND. *out: {"id","deleted":true}. */
int metric_delete(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* The metric as JSON; NL_ENOTFOUND. */
int metric_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* The metric as a struct; NL_ENOTFOUND. */
int metric_load(struct nl_ctx *ctx, int64_t id, struct nl_metric *out) __attribute__((warn_unused_result));
/* Fills *out from a metric JSON object made by this module. Returns 0, or NL_EINTERNAL when o is not one. */
int metric_from_json(const json_t *o, struct nl_metric *out) __attribute__((warn_unused_result));

struct nl_metric_filter {
	int64_t year;            /* 0: all years */
	const char *element;     /* NULL: all */
	int64_t department_id;   /* owner department; 0: all */
	int64_t limit;
	int64_t cursor;          /* ids greater than this */
};
/* A page of metrics in id order; *next > 0 when more exist. */
int metric_list(struct nl_ctx *ctx, const struct nl_metric_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* Every metric of a year (with the filter's element and department), in table order: element (people, process,
 * technology, resources), then code. f->limit and f->cursor are ignored. */
int metric_list_table(struct nl_ctx *ctx, const struct nl_metric_filter *f, json_t **items)
	__attribute__((warn_unused_result));

#endif
