/* demo_partners.h — the partners / agents (代理商) of `nengli demo`: profiles with their selection records, quarterly
 * assessments, annual ratings through the approval mechanism, made by the demo users through the partners room's domain
 * functions (see demo_partners.c for the story). */
#ifndef NL_DEMO_PARTNERS_H
#define NL_DEMO_PARTNERS_H

#include "cli/cli.h"

/* Loads into cli's database (the demo users and the ITOPS department exist):
 *   4 partners in four regions — two active, one suspended this year, one candidate still under selection;
 *   last year (Y − 1): four quarterly assessments for each of the three under contract; annual ratings approved for the
 *     two active ones; the suspended one's rating rejected once by the approver and requested again — pending;
 *   this year (Y): the assessments of the quarters that have ended (Q1–Q3 when loaded in the fourth quarter).
 * With the default dimension set (all scored by hand). Each write as the demo user who would make it (planner: profiles;
 * quality: assessments and rating requests; approver: decisions), after checking the route's permission, back-dated with
 * ctx->now. Prints what it made. Returns NL_EXIT_OK, or NL_EXIT_FAIL after printing the step that failed and why. */
int demo_partners(struct nl_cli *cli);

#endif
