/* demo_records.h — the service records of `nengli demo`: customers, a year of tickets brought in by one CSV import,
 * and a few tickets recorded by hand whose status history (a wait for the customer, a breach) makes the SLA timeline
 * worth looking at. */
#ifndef NL_DEMO_RECORDS_H
#define NL_DEMO_RECORDS_H

#include "cli/cli.h"

/* Loads into cli's database (the demo users and departments exist):
 *   6 customers (phone and e-mail, shown masked to roles without customer.pii);
 *   one CSV import by the planner of the last 12 months' tickets (about 2 a working day, IT operations and business,
 *     P1–P4, most within their SLA, some breached, the last days' partly still open);
 *   5 tickets recorded by the member and the planner with customers and status changes (a waiting_customer pause,
 *     a resolution past its target, one still in progress), two of them rated by the quality manager.
 * Each write as the demo user who would make it, after checking the route's permission. Prints what it made.
 * Returns NL_EXIT_OK, or NL_EXIT_FAIL after printing the step that failed and why. */
int demo_records(struct nl_cli *cli);

#endif
