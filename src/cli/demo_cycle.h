/* demo_cycle.h — the yearly cycle of `nengli demo`: last year's cycle complete and this year's in progress, played by
 * the demo users through the cycle's domain functions (see demo_cycle.c for what it contains). */
#ifndef NL_DEMO_CYCLE_H
#define NL_DEMO_CYCLE_H

#include "cli/cli.h"

/* Loads the cycle into cli's database. The demo departments (ITOPS, HR, QA) and users (approver, planner, hr,
 * quality, member) must exist already (demo.c makes them). The years come from cycle_today(): Y − 1 is complete
 * (approved plan, metrics with every period closed, work items, checks, finalized evaluation), Y is in progress up
 * to the month before today; nothing is made for Y + 1. Every step is done as the demo user who would do it, with the
 * permission the route would require, one audited transaction per write. Prints what it made to stdout.
 * Returns NL_EXIT_OK, or NL_EXIT_FAIL after printing the step that failed and why. */
int demo_cycle(struct nl_cli *cli);

/* Returns NL_EXIT_OK when the database holds no plan and no metric yet (the demo's years would otherwise collide with
 * real records), else prints why the demo refuses and returns NL_EXIT_FAIL. Writes nothing. */
int demo_cycle_check(struct nl_cli *cli);

#endif
