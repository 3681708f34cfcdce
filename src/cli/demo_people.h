/* demo_people.h — the people records of `nengli demo`: staff, posts and backups, skills, certifications, this year's
 * training plan, last year's Q4 appraisals, a reward and a penalty (see demo_people.c for what it contains). */
#ifndef NL_DEMO_PEOPLE_H
#define NL_DEMO_PEOPLE_H

#include "cli/cli.h"

/* Loads the people records into cli's database, as the demo users hr, quality and approver (demo.c makes them; the
 * cycle's demo makes last year's metrics, one of which the reward is linked to when present). One audited
 * transaction per write, with plausible back-dated times. Prints what it made to stdout. Returns NL_EXIT_OK, or
 * NL_EXIT_FAIL after printing the step that failed and why. */
int demo_people(struct nl_cli *cli);

#endif
