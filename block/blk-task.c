// SPDX-License-Identifier: MIT
/*
 * Where the block layer meets struct task: the plug a task holds. Apart so
 * the host tests, which have no tasks, give their own.
 */
#include <exo/blkdev.h>
#include <exo/sched.h>

struct blk_plug *blk_current_plug(void)
{
	struct task *t = current;

	return t ? t->plug : NULL;
}

void blk_set_current_plug(struct blk_plug *plug)
{
	current->plug = plug;
}

void blk_flush_plug_before_sleep(struct task *t)
{
	if (t->plug)
		blk_flush_plug(t->plug);
}
