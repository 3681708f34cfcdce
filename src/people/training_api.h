/* training_api.h — HTTP handlers for the training plan, sessions and attendance (people/training_api.c). */
#ifndef NL_PEOPLE_TRAINING_API_H
#define NL_PEOPLE_TRAINING_API_H

struct nl_req;

int api_trainings_list(struct nl_req *r);
int api_trainings_create(struct nl_req *r);
int api_trainings_get(struct nl_req *r);
int api_trainings_update(struct nl_req *r);
int api_trainings_delete(struct nl_req *r);
int api_training_sessions_create(struct nl_req *r);
int api_training_sessions_get(struct nl_req *r);
int api_training_sessions_delete(struct nl_req *r);
int api_training_attendance_put(struct nl_req *r);
int api_training_attendance_delete(struct nl_req *r);

#endif
