/* demo_feedback.h — the customer feedback of `nengli demo`: complaints at every step of their lifecycle and a
 * satisfaction survey campaign with some answers. */
#ifndef NL_DEMO_FEEDBACK_H
#define NL_DEMO_FEEDBACK_H

#include "cli/cli.h"

/* Loads into cli's database (the demo users and departments exist; the demo's tickets, when loaded before, are
 * sampled by the survey):
 *   8 complaints over the last five months registered by the member, the planner and quality: archived (valid and
 *     rectified, or found not valid), answered late, answered and waiting for rectification, verified, one reopened,
 *     one received days ago and still unanswered (overdue), one received today;
 *   last month's satisfaction survey of every department (quality), opened and answered through 6 of its links;
 *     when no closed ticket of that month exists, it stays a draft;
 *   this quarter's survey as a draft.
 * Each write as the demo user who would make it, after checking the route's permission, at a plausible past moment.
 * Prints what it made. Returns NL_EXIT_OK, or NL_EXIT_FAIL after printing the step that failed and why. */
int demo_feedback(struct nl_cli *cli);

#endif
