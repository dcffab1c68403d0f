/*
 * Thread priority. Linux keeps a niceness per thread, set through
 * setpriority() with the thread's id; POSIX threads have no portable way
 * to lower one thread's share under the default scheduler (the real-time
 * policies need privilege, and SCHED_IDLE would starve a helper on a busy
 * machine), so elsewhere this does nothing.
 */
#define _DEFAULT_SOURCE /* syscall() */

#include "graph/thread.h"

#if defined(__linux__)
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void xref_thread_lower_priority(int steps)
{
#if defined(__linux__)
	id_t tid = (id_t)syscall(SYS_gettid);
	int now;

	errno = 0;
	now = getpriority(PRIO_PROCESS, tid);
	if (now == -1 && errno)
		return;
	(void)setpriority(PRIO_PROCESS, tid,
			  steps < 19 - now ? now + steps : 19);
#else
	(void)steps;
#endif
}
