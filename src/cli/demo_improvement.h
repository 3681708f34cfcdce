/* demo_improvement.h — the improvement records of `nengli demo`: innovation proposals in every state and a risk register
 * with a couple of overdue reviews, made by the demo users through the improvement room's domain functions. */
#ifndef NL_DEMO_IMPROVEMENT_H
#define NL_DEMO_IMPROVEMENT_H

#include "cli/cli.h"

/* Loads into cli's database (the demo users and departments exist; this year's plan exists when demo_cycle ran):
 *   6 innovation proposals — two adopted last year (after a pilot), one in pilot, one rejected, two proposed;
 *   8 risks over the four elements — levels low to critical, one closed, two whose review date has passed (reminded
 *     to their owners, hr and member, and to quality), two related to items of this year's plan.
 * Each write as the demo user who would make it, after checking the route's permission, back-dated with ctx->now.
 * Prints what it made. Returns NL_EXIT_OK, or NL_EXIT_FAIL after printing the step that failed and why. */
int demo_improvement(struct nl_cli *cli);

#endif
