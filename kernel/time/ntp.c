// SPDX-License-Identifier: MIT
/*
 * The NTP interface: adjtimex, clock_adjtime (adjtimex(2)).
 *
 * Exo-OS keeps the kernel's NTP state (status, offset, frequency, error
 * estimates, time constant, TAI offset, tick) so that a daemon or
 * `adjtimex -p` reads back what was set, with Linux's validation, clamps,
 * EPERM rules and return state; it does not discipline the clock with
 * them: the clock runs at the TSC's rate and the offset is not slewed
 * away. ADJ_SETOFFSET does step the wall clock. As on Linux, the state
 * starts STA_UNSYNC, so until a daemon clears that bit the call returns
 * TIME_ERROR.
 *
 * Locking: ntp_lock (irqsave) guards the state; timekeeping_set_real_ns()
 * takes its own lock after it is dropped.
 */
#include <exo/cred.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time_types.h>
#include <uapi/timex.h>

_Static_assert(sizeof(struct timex) == 208, "struct timex is 208 bytes on x86_64");

#define USER_HZ 100
#define NTP_MAXPHASE_NS 500000000LL		/* the largest offset the PLL takes */
#define NTP_MAXFREQ_SCALED (500LL << 16)	/* 500 ppm, in ppm << 16 */
#define NTP_PHASE_LIMIT_US 16000000LL		/* maxerror and esterror ceiling */
#define NTP_MAXTC 10
#define NTP_MAX_TAI_OFFSET 100000

static DEFINE_SPINLOCK(ntp_lock);
static int ntp_status = STA_UNSYNC;			/* [ntp_lock] */
static int ntp_state = TIME_OK;				/* [ntp_lock] */
static long long ntp_offset_ns;				/* [ntp_lock] */
static long long ntp_freq = 0;				/* [ntp_lock] ppm << 16 */
static long long ntp_maxerror = NTP_PHASE_LIMIT_US;	/* [ntp_lock] */
static long long ntp_esterror = NTP_PHASE_LIMIT_US;	/* [ntp_lock] */
static long long ntp_constant = 2;			/* [ntp_lock] */
static long long ntp_tick_usec = 1000000 / USER_HZ;	/* [ntp_lock] */
static int ntp_tai;					/* [ntp_lock] */

static long long clamp_ll(long long v, long long lo, long long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool ntp_error_status(int s)
{
	return (s & (STA_UNSYNC | STA_CLOCKERR)) ||
	       ((s & (STA_PPSFREQ | STA_PPSTIME)) && !(s & STA_PPSSIGNAL)) ||
	       ((s & (STA_PPSTIME | STA_PPSJITTER)) == (STA_PPSTIME | STA_PPSJITTER)) ||
	       ((s & STA_PPSFREQ) && (s & (STA_PPSWANDER | STA_PPSERROR)));
}

/* The checks Linux makes before touching anything: -EINVAL or -EPERM. */
static int ntp_validate(const struct timex *tx)
{
	if (tx->modes & ADJ_ADJTIME) {
		/* Old-style adjtime(): only the single-shot offset, readable by anyone. */
		if (!(tx->modes & ADJ_OFFSET_SINGLESHOT))
			return -EINVAL;
		if (!(tx->modes & ADJ_OFFSET_READONLY) && !capable_root())
			return -EPERM;
		return 0;
	}
	if (tx->modes && !capable_root())
		return -EPERM;	/* CAP_SYS_TIME */
	if ((tx->modes & ADJ_TICK) &&
	    (tx->tick < 900000 / USER_HZ || tx->tick > 1100000 / USER_HZ))
		return -EINVAL;
	if (tx->modes & ADJ_SETOFFSET) {
		long long lim = (tx->modes & ADJ_NANO) ? (long long)NSEC_PER_SEC : 1000000;

		if (tx->time.tv_usec < 0 || tx->time.tv_usec >= lim)
			return -EINVAL;
	}
	/* The frequency is scaled by 1000 << 16 inside Linux: it must not overflow. */
	if ((tx->modes & ADJ_FREQUENCY) &&
	    (tx->freq < -(__LONG_LONG_MAX__ / 65536000) || tx->freq > __LONG_LONG_MAX__ / 65536000))
		return -EINVAL;
	return 0;
}

/* Applies @tx's modes; ntp_lock held. */
static void ntp_apply_locked(const struct timex *tx)
{
	unsigned int m = tx->modes;

	if (m & ADJ_ADJTIME)
		return;	/* no adjtime() slew in progress, none started: nothing is slewed here */
	if (m & ADJ_STATUS) {
		/* Turning the PLL off resets the state machine, as Linux does. */
		if ((ntp_status & STA_PLL) && !(tx->status & STA_PLL)) {
			ntp_state = TIME_OK;
			ntp_status = STA_UNSYNC;
		}
		ntp_status = (ntp_status & STA_RONLY) | (tx->status & ~STA_RONLY);
	}
	if (m & ADJ_NANO)
		ntp_status |= STA_NANO;
	if (m & ADJ_MICRO)
		ntp_status &= ~STA_NANO;
	if (m & ADJ_FREQUENCY)
		ntp_freq = clamp_ll(tx->freq, -NTP_MAXFREQ_SCALED, NTP_MAXFREQ_SCALED);
	if (m & ADJ_MAXERROR)
		ntp_maxerror = clamp_ll(tx->maxerror, 0, NTP_PHASE_LIMIT_US);
	if (m & ADJ_ESTERROR)
		ntp_esterror = clamp_ll(tx->esterror, 0, NTP_PHASE_LIMIT_US);
	if (m & ADJ_TIMECONST) {
		long long c = tx->constant;

		if (!(ntp_status & STA_NANO))
			c += 4;
		ntp_constant = clamp_ll(c, 0, NTP_MAXTC);
	}
	if ((m & ADJ_TAI) && tx->constant >= 0 && tx->constant <= NTP_MAX_TAI_OFFSET)
		ntp_tai = (int)tx->constant;
	/* Linux takes an offset only while the PLL is on. */
	if ((m & ADJ_OFFSET) && (ntp_status & STA_PLL)) {
		long long ns = (ntp_status & STA_NANO) ? tx->offset : tx->offset * 1000;

		ntp_offset_ns = clamp_ll(ns, -NTP_MAXPHASE_NS, NTP_MAXPHASE_NS);
	}
	if (m & ADJ_TICK)
		ntp_tick_usec = tx->tick;
}

/* Fills @tx with the state; returns the clock state. ntp_lock held. */
static int ntp_read_locked(struct timex *tx, u64 real_ns)
{
	bool nano = ntp_status & STA_NANO;

	if (tx->modes & ADJ_ADJTIME)
		tx->offset = 0;	/* the adjtime() slew left: none */
	else
		tx->offset = nano ? ntp_offset_ns : ntp_offset_ns / 1000;
	tx->freq = ntp_freq;
	tx->maxerror = ntp_maxerror;
	tx->esterror = ntp_esterror;
	tx->status = ntp_status;
	tx->constant = ntp_constant;
	tx->precision = 1;
	tx->tolerance = NTP_MAXFREQ_SCALED;
	tx->tick = ntp_tick_usec;
	tx->ppsfreq = tx->jitter = 0;
	tx->shift = 0;
	tx->stabil = tx->jitcnt = tx->calcnt = tx->errcnt = tx->stbcnt = 0;
	tx->tai = ntp_tai;
	tx->time.tv_sec = (long)(real_ns / NSEC_PER_SEC);
	tx->time.tv_usec = (long)(real_ns % NSEC_PER_SEC / (nano ? 1 : NSEC_PER_USEC));
	return ntp_error_status(ntp_status) ? TIME_ERROR : ntp_state;
}

static long do_adjtimex(struct timex __user *utx)
{
	unsigned long flags;
	struct timex tx;
	int ret;

	if (copy_from_user(&tx, utx, sizeof(tx)))
		return -EFAULT;
	ret = ntp_validate(&tx);
	if (ret)
		return ret;
	if (tx.modes & ADJ_SETOFFSET) {
		long long ns = tx.time.tv_sec * (long long)NSEC_PER_SEC +
			       tx.time.tv_usec * ((tx.modes & ADJ_NANO) ? 1 : (long long)NSEC_PER_USEC);
		long long real = (long long)ktime_get_real_ns();

		if (real + ns < 0)
			return -EINVAL;
		timekeeping_set_real_ns((u64)(real + ns));
		timerfd_clock_was_set();
		posix_timers_clock_was_set();
	}
	spin_lock_irqsave(&ntp_lock, flags);
	ntp_apply_locked(&tx);
	ret = ntp_read_locked(&tx, ktime_get_real_ns());
	spin_unlock_irqrestore(&ntp_lock, flags);
	if (copy_to_user(utx, &tx, sizeof(tx)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE1(adjtimex, struct timex __user *, utx)
{
	return do_adjtimex(utx);
}

SYSCALL_DEFINE2(clock_adjtime, int, clockid, struct timex __user *, utx)
{
	switch (clockid) {
	case CLOCK_REALTIME:
		return do_adjtimex(utx);
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_TAI:
		return -EOPNOTSUPP;	/* no clock_adj for these clocks */
	default:
		return -EINVAL;
	}
}
