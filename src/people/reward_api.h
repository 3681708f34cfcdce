/* reward_api.h — HTTP handlers for rewards and penalties and their approval (people/reward_api.c). */
#ifndef NL_PEOPLE_REWARD_API_H
#define NL_PEOPLE_REWARD_API_H

struct nl_req;

int api_rewards_list(struct nl_req *r);
int api_rewards_create(struct nl_req *r);
int api_rewards_get(struct nl_req *r);
int api_rewards_approve(struct nl_req *r);
int api_rewards_reject(struct nl_req *r);
int api_rewards_cancel(struct nl_req *r);

#endif
