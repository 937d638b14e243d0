#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "diag.h"

void diag_vwrite(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int saved_errno = errno;
	int n;

	n = snprintf(buf, sizeof(buf), "%s: ", prefix);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	while (write(2, buf, n) < 0 && errno == EINTR)
		;
	errno = saved_errno;
}
