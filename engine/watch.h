/* watch.h — the lines `watch` prints (watch.c). Private to the engine. */
#ifndef SINEW_WATCH_H
#define SINEW_WATCH_H

#include "internal.h"

void watch_fact(engine *, const struct fact *, bool added);
void watch_activation(engine *, const struct activation *, bool added);
void watch_firing(engine *, const struct activation *);

#endif
