// SPDX-License-Identifier: MIT
/*
 * personality(2): the execution domain word. Exo-OS runs only PER_LINUX
 * binaries and places mappings deterministically, so the flags
 * (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, ...) are stored, inherited across
 * fork and exec and reported, but change nothing. As on Linux any value
 * is accepted; 0xffffffff only queries.
 */
#include <exo/sched.h>
#include <exo/syscalls.h>

#define PERSONALITY_QUERY 0xffffffffU

SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	unsigned int old = current->personality;

	if (persona != PERSONALITY_QUERY)
		current->personality = persona;
	return old;
}
