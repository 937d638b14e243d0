// SPDX-License-Identifier: MIT
/*
 * Read-ahead windows over a page cache (<exo/pagemap.h>): where the next
 * window starts and how large it is, per open file. The mapping's
 * a_ops->readahead() does the reading (block devices: block/fops.c; ext4:
 * fs/ext4/inode.c), so one policy serves every disk-backed cache.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/pagemap.h>

void page_cache_ra(struct file_ra_state *ra, struct address_space *m, unsigned long index,
		   unsigned long req_pages)
{
	bool seq = ra->size ? index == ra->prev_index || index == ra->prev_index + 1 : index == 0;
	unsigned long end = ra->start + ra->size;

	if (!m->a_ops || !m->a_ops->readahead)
		return;
	if (ra->size && index >= ra->start && index < end) {
		/* Inside the window: reaching its marker starts the next, larger one. */
		if (seq && index == end - ra->async_size) {
			ra->start = end;
			ra->size = min(ra->size * 2, (unsigned int)RA_MAX_PAGES);
			ra->async_size = ra->size;
			m->a_ops->readahead(m, ra->start, ra->size, ra->start);
		}
		return;
	}
	ra->start = index;
	if (seq) {
		unsigned long want = ra->size ? ra->size * 2UL : max(req_pages * 2, (unsigned long)RA_MIN_PAGES);

		ra->size = (unsigned int)min(want, (unsigned long)RA_MAX_PAGES);
		ra->async_size = ra->size / 2;	/* past half-way, the next window starts */
	} else {
		/* Random: read just what was asked for, in one go. */
		ra->size = (unsigned int)min(max(req_pages, 1UL), (unsigned long)RA_MAX_PAGES);
		ra->async_size = 0;
	}
	m->a_ops->readahead(m, ra->start, ra->size,
			    ra->async_size ? ra->start + ra->size - ra->async_size : ~0UL);
}

void page_cache_ra_around(struct address_space *m, unsigned long index)
{
	unsigned long start = index > RA_MAX_PAGES / 2 ? index - RA_MAX_PAGES / 2 : 0;

	if (m->a_ops && m->a_ops->readahead)
		m->a_ops->readahead(m, start, RA_MAX_PAGES, ~0UL);
}

struct page *filemap_ra_page(struct file *file, struct address_space *m, unsigned long index,
			     unsigned long req_pages)
{
	struct page *page = find_get_page(m, index);

	if (page && page_test(page, PG_uptodate) &&
	    !(page_test(page, PG_readahead) && page_test_clear(page, PG_readahead)))
		return page;	/* someone else took the marker meanwhile */
	if (page)
		put_page(page);
	page_cache_ra(&file->f_ra, m, index, req_pages);
	return NULL;
}

struct page *readahead_lock_page(struct address_space *m, unsigned long index)
{
	struct page *page;
	int err = filemap_get_page(m, index, true, &page);

	if (err)
		return ERR_PTR(err);
	if (page_test(page, PG_uptodate) || !page_trylock(page))
		goto gap;
	if (page_test(page, PG_uptodate)) {	/* read in between the test and the lock */
		unlock_page(page);
		goto gap;
	}
	return page;
gap:
	put_page(page);
	return NULL;
}
