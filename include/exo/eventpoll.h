/* SPDX-License-Identifier: MIT */
/*
 * What the VFS tells epoll (fs/eventpoll.c): a file's last fput() calls
 * eventpoll_release(), which takes the file out of every epoll set that
 * watches it (Linux's eventpoll_release). Cheap when none does: one test
 * of file->f_ep_links, which nobody can add to once the last reference
 * is going.
 */
#ifndef _EXO_EVENTPOLL_H
#define _EXO_EVENTPOLL_H

#include <generated/autoconf.h>
#include <exo/fs.h>

#ifdef CONFIG_EPOLL
void eventpoll_release_file(struct file *file);
/*
 * After a POLLFREE wake-up of a queue about to be freed: waits until no
 * epoll item removal that may have seen the queue before is still using it.
 */
void eventpoll_pollfree_sync(void);

static inline void eventpoll_release(struct file *file)
{
	if (!list_empty(&file->f_ep_links))
		eventpoll_release_file(file);
}
#else
static inline void eventpoll_release(struct file *file)
{
	(void)file;
}

static inline void eventpoll_pollfree_sync(void)
{
}
#endif

#endif /* _EXO_EVENTPOLL_H */
