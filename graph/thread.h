/*
 * Thread helpers for the modules that start threads (graph/ and cli/).
 */
#ifndef XREF_GRAPH_THREAD_H
#define XREF_GRAPH_THREAD_H

/* How much a helper thread lowers its own priority: the least step at
 * which a thread at the normal priority still gets a whole core of two
 * against three of them (scheduler weights 1024 against 3 x 335). More
 * would only starve the helpers further when other programs keep the
 * cores busy, and the thread they feed would wait for them. */
#define XREF_THREAD_BACKGROUND 5

/*
 * Lowers the calling thread's priority (raises its niceness) by `steps`,
 * up to the lowest there is, so that it takes the CPU the threads at the
 * normal priority leave. Meant for threads that only feed or trail the one
 * that limits a job. Only Linux sets the niceness of one thread; elsewhere,
 * and on any failure, nothing changes (raising niceness needs no
 * privilege, and only speed depends on it).
 */
void xref_thread_lower_priority(int steps);

#endif
