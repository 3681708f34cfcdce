/* catalogue.h — the configurable catalogue of capability sub-areas (table capability_areas): per element (people,
 * process, technology, resources) the sub-areas a plan item may name, each with a stable code ("people.training"),
 * a name, an English name, a sort key and an active flag. Seeded by migration 0003; maintained by catalogue.write.
 * Objects come back as JSON {"id","element","code","name","name_en","sort","active"} (the caller owns them). */
#ifndef NL_CATALOGUE_H
#define NL_CATALOGUE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

/* The four elements in the contract's order, NULL-terminated. */
extern const char *const catalogue_elements[];
/* Returns 1 when s is one of the four element names. */
int catalogue_element_valid(const char *s);

struct nl_area_input {
	const char *element;   /* create only */
	const char *code;      /* create only: "<element>.<word>", [a-z0-9._-], at most 64 characters */
	const char *name;
	const char *name_en;
	int64_t sort;
	int active;
};
#define NL_AREA_SET_NAME 0x01u
#define NL_AREA_SET_NAME_EN 0x02u
#define NL_AREA_SET_SORT 0x04u
#define NL_AREA_SET_ACTIVE 0x08u

/* Lists areas ordered by element (people, process, technology, resources), sort and id. element NULL: all;
 * active -1: all, 0/1: only inactive/active. Paging by offset (the cursor is the number of rows already given);
 * *next > 0 when more rows exist. */
int catalogue_list(struct nl_ctx *ctx, const char *element, int active, int64_t limit, int64_t offset, json_t **items,
	int64_t *next) __attribute__((warn_unused_result));
/* One area; NL_ENOTFOUND when absent. */
int catalogue_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* Creates an area (audited). The sort key defaults to 10 past the element's highest when NL_AREA_SET_SORT is not
 * in `set`; active defaults to 1 unless NL_AREA_SET_ACTIVE. NL_EVALID (field element / code / name), NL_ECONFLICT
 * (field code) for a code in use. */
int catalogue_create(struct nl_ctx *ctx, const struct nl_area_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Changes the fields named in `set` (name, name_en, sort, active); element and code never change. Audited. */
int catalogue_update(struct nl_ctx *ctx, int64_t id, const struct nl_area_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Finds the active area of `element` whose code, name or English name is `text` and copies its code into code_out.
 * NL_EVALID naming `field` when there is none. */
int catalogue_resolve(struct nl_ctx *ctx, const char *element, const char *text, const char *field, char *code_out,
	size_t code_len) __attribute__((warn_unused_result));

#endif
