// SPDX-License-Identifier: MIT
/*
 * System calls of optional subsystems. kernel/syscalls.tbl names every
 * entry whatever the configuration, so each call whose code a Kconfig
 * option can leave out is listed here with COND_SYSCALL(name): a weak
 * sys_name aliased to sys_ni_syscall. When the subsystem is built, its
 * SYSCALL_DEFINEn gives the strong sys_name and the linker takes that one;
 * when it is not, the table entry lands here and the call is -ENOSYS, as
 * on Linux (socket() with CONFIG_NET=n is ENOSYS, not EAFNOSUPPORT).
 *
 * Add a line here when a new optional subsystem defines system calls; the
 * config matrix of make test (allnoconfig) fails to link if one is missing.
 */
#include <exo/syscalls.h>
#include <uapi/errno.h>

long sys_ni_syscall(SYSCALL_PARAMS);

long sys_ni_syscall(SYSCALL_PARAMS)
{
	return -ENOSYS;
}

#define COND_SYSCALL(name) \
	long sys_##name(SYSCALL_PARAMS) __attribute__((weak, alias("sys_ni_syscall")))

/* net/socket.c: CONFIG_NET */
COND_SYSCALL(socket);
COND_SYSCALL(socketpair);
COND_SYSCALL(bind);
COND_SYSCALL(listen);
COND_SYSCALL(accept);
COND_SYSCALL(accept4);
COND_SYSCALL(connect);
COND_SYSCALL(getsockname);
COND_SYSCALL(getpeername);
COND_SYSCALL(sendto);
COND_SYSCALL(recvfrom);
COND_SYSCALL(setsockopt);
COND_SYSCALL(getsockopt);
COND_SYSCALL(shutdown);
COND_SYSCALL(sendmsg);
COND_SYSCALL(recvmsg);
COND_SYSCALL(sendmmsg);
COND_SYSCALL(recvmmsg);

/* fs/eventpoll.c: CONFIG_EPOLL */
COND_SYSCALL(epoll_create);
COND_SYSCALL(epoll_create1);
COND_SYSCALL(epoll_ctl);
COND_SYSCALL(epoll_wait);
COND_SYSCALL(epoll_pwait);
COND_SYSCALL(epoll_pwait2);

/* fs/eventfd.c: CONFIG_EVENTFD */
COND_SYSCALL(eventfd);
COND_SYSCALL(eventfd2);

/* fs/timerfd.c: CONFIG_TIMERFD */
COND_SYSCALL(timerfd_create);
COND_SYSCALL(timerfd_settime);
COND_SYSCALL(timerfd_gettime);

/* fs/signalfd.c: CONFIG_SIGNALFD */
COND_SYSCALL(signalfd);
COND_SYSCALL(signalfd4);

/* ipc/{shm,sem,msg}.c: CONFIG_SYSVIPC */
COND_SYSCALL(shmget);
COND_SYSCALL(shmat);
COND_SYSCALL(shmdt);
COND_SYSCALL(shmctl);
COND_SYSCALL(semget);
COND_SYSCALL(semop);
COND_SYSCALL(semtimedop);
COND_SYSCALL(semctl);
COND_SYSCALL(msgget);
COND_SYSCALL(msgsnd);
COND_SYSCALL(msgrcv);
COND_SYSCALL(msgctl);
/* ipc/mqueue.c (CONFIG_POSIX_MQUEUE) */
COND_SYSCALL(mq_open);
COND_SYSCALL(mq_unlink);
COND_SYSCALL(mq_timedsend);
COND_SYSCALL(mq_timedreceive);
COND_SYSCALL(mq_notify);
COND_SYSCALL(mq_getsetattr);

/* ipc/fusion.c: CONFIG_FUSION */
COND_SYSCALL(fusion_wait);
