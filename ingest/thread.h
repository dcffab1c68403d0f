/*
 * Thread helpers shared by the modules that start threads.
 */
#ifndef XREF_INGEST_THREAD_H
#define XREF_INGEST_THREAD_H

/* How much a helper thread lowers its own priority: enough that a thread
 * at the normal priority gets a whole core against three of them. */
#define XREF_THREAD_BACKGROUND 10

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
