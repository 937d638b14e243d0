/*
 * sysvmk: makes one System V shared memory segment (key 0x5151, 10000
 * bytes, mode 640, attached by a child that stays), one semaphore set
 * (key 0x5252, 3 semaphores, mode 600) and one message queue (key 0x5353,
 * mode 604, one 5-byte message), and prints "shm=ID sem=ID msg=ID pid=PID"
 * (pid: the attached child) for the busybox ipcs/ipcrm test
 * (scripts/testsuite/ports.py).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void)
{
	struct { long mtype; char mtext[8]; } m = { 1, "hello" };
	int shm, sem, msg, ready[2];
	pid_t pid;
	char c;

	shm = shmget(0x5151, 10000, IPC_CREAT | 0640);
	sem = semget(0x5252, 3, IPC_CREAT | 0600);
	msg = msgget(0x5353, IPC_CREAT | 0604);
	if (shm < 0 || sem < 0 || msg < 0 || msgsnd(msg, &m, 5, 0) || pipe(ready)) {
		perror("sysvmk");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		char *p = shmat(shm, NULL, 0);

		/* A reader of our output (sh's $(...)) waits for every writer to go. */
		close(STDOUT_FILENO);
		if (p == (void *)-1)
			_exit(1);
		strcpy(p, "attached");
		close(ready[0]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		perror("sysvmk");
		return 1;
	}
	printf("shm=%d sem=%d msg=%d pid=%d\n", shm, sem, msg, (int)pid);
	return 0;
}
