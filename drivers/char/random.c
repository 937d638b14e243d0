// SPDX-License-Identifier: MIT
/*
 * The kernel's random number generator, /dev/random, /dev/urandom and
 * getrandom().
 *
 * A 256-bit key feeds ChaCha20 (RFC 8439, section 2.3): each request runs
 * the block function with a counter, hands out the keystream, and replaces
 * the key with fresh keystream first ("fast key erasure"), so the state
 * never reveals earlier output. The key is seeded from RDRAND when the CPU
 * has it and always mixed with TSC readings, and RDRAND is mixed in again
 * on every re-key. Without RDRAND this is only as good as TSC jitter: fine
 * for hash seeds and ASLR in tests, not for keys.
 *
 * The generator counts as initialized from the first call, so GRND_NONBLOCK
 * never gets EAGAIN and /dev/random never blocks (as Linux since 5.6 once
 * seeded).
 *
 * Lock order: rng_lock is a leaf.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/random.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/archrandom.h>
#include <asm/timex.h>
#include <uapi/errno.h>
#include <uapi/random.h>
#include <uapi/uio.h>

#define CHACHA_BLOCK 64

static u32 rng_key[8];		/* [rng_lock] */
static u64 rng_counter;		/* [rng_lock] */
static bool rng_seeded;		/* [rng_lock] */
static DEFINE_SPINLOCK(rng_lock);

static u32 rotl32(u32 v, int c)
{
	return (v << c) | (v >> (32 - c));
}

#define QR(a, b, c, d)                                                           \
	do {                                                                     \
		a += b; d ^= a; d = rotl32(d, 16);                               \
		c += d; b ^= c; b = rotl32(b, 12);                               \
		a += b; d ^= a; d = rotl32(d, 8);                                \
		c += d; b ^= c; b = rotl32(b, 7);                                \
	} while (0)

/* One ChaCha20 block of keystream for (rng_key, @counter). */
static void chacha20_block(u32 out[16], u64 counter)
{
	u32 x[16], s[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,	/* "expand 32-byte k" */
		rng_key[0], rng_key[1], rng_key[2], rng_key[3],
		rng_key[4], rng_key[5], rng_key[6], rng_key[7],
		(u32)counter, (u32)(counter >> 32), 0, 0,
	};

	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
	memset(x, 0, sizeof(x));
}

/* Mixes hardware randomness and the TSC into the key; rng_lock held. */
static void rng_mix_entropy(void)
{
	lockdep_assert_held(&rng_lock);
	for (int i = 0; i < 8; i++) {
		unsigned long v = 0;

		arch_get_random_long(&v);
		rng_key[i] ^= (u32)v ^ (u32)(v >> 32) ^ rotl32((u32)get_cycles(), i * 3 + 1);
	}
}

static void rng_rekey(void)
{
	u32 block[16];

	rng_mix_entropy();
	chacha20_block(block, rng_counter++);
	memcpy(rng_key, block, sizeof(rng_key));
	memset(block, 0, sizeof(block));
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	unsigned long flags;
	u32 block[16];

	spin_lock_irqsave(&rng_lock, flags);
	if (!rng_seeded) {
		rng_mix_entropy();
		rng_seeded = true;
	}
	rng_rekey();
	while (len) {
		size_t n = len < CHACHA_BLOCK ? len : CHACHA_BLOCK;

		chacha20_block(block, rng_counter++);
		memcpy(p, block, n);
		p += n;
		len -= n;
	}
	rng_rekey();
	spin_unlock_irqrestore(&rng_lock, flags);
	memset(block, 0, sizeof(block));
}

u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/* Fills @to from the generator a block at a time; bytes or -EFAULT. */
static ssize_t random_fill_iter(struct iov_iter *to)
{
	u8 buf[256];
	size_t done = 0;

	while (to->count) {
		size_t n = min(to->count, sizeof(buf));
		size_t c;

		get_random_bytes(buf, n);
		c = copy_to_iter(buf, n, to);
		done += c;
		if (c < n) {
			memset(buf, 0, sizeof(buf));
			return done ? (ssize_t)done : -EFAULT;
		}
	}
	memset(buf, 0, sizeof(buf));
	return (ssize_t)done;
}

static ssize_t random_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return random_fill_iter(to);
}

/* Writes are accepted and ignored (Linux mixes them in without crediting entropy). */
static ssize_t random_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t n = from->count;

	iov_iter_advance(from, n);
	return (ssize_t)n;
}

static loff_t random_llseek(struct file *file, loff_t offset, int whence)
{
	return 0;
}

static const struct file_operations random_fops = {
	.read_iter = random_read_iter,
	.write_iter = random_write_iter,
	.llseek = random_llseek,
};

SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, len, unsigned int, flags)
{
	struct iovec iov = { .iov_base = ubuf, .iov_len = len };
	struct iov_iter it;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!len)
		return 0;
	iov.iov_len = len;
	iov_iter_init(&it, &iov, 1, len);
	return random_fill_iter(&it);
}

static int random_chrdev_init(void)
{
	int err = register_chrdev_fops(1, 8, &random_fops);

	if (!err)
		err = register_chrdev_fops(1, 9, &random_fops);
	return err;
}
core_initcall(random_chrdev_init);
