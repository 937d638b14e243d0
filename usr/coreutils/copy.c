/*
 * Copying and removing trees, shared by cp, mv (its EXDEV fallback) and rm.
 *
 * copy_path() copies one file, symlink, device node or (with recursive)
 * directory tree from src to dst, which must not be inside src. It reports
 * its own errors and returns 0 or -1; it goes on after an error inside a
 * tree so that as much as possible is copied, as GNU cp does.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "exobox.h"

static void copy_attrs(const char *dst, const struct stat *st, const struct copy_opts *o)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (!o->preserve)
		return;
	if (lchown(dst, st->st_uid, st->st_gid) && errno != EPERM)
		warn_errno("preserving ownership for '%s'", dst);
	if (!S_ISLNK(st->st_mode) && chmod(dst, st->st_mode & 07777))
		warn_errno("preserving permissions for '%s'", dst);
	if (utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW))
		warn_errno("preserving times for '%s'", dst);
}

static int copy_file(const char *src, const char *dst, const struct stat *st,
		     const struct copy_opts *o)
{
	int in, out, ret = 0;

	in = open(src, O_RDONLY);
	if (in < 0) {
		warn_errno("cannot open '%s' for reading", src);
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
	if (out < 0 && o->force && errno != ENOENT) {
		unlink(dst);
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
	}
	if (out < 0) {
		warn_errno("cannot create regular file '%s'", dst);
		close(in);
		return -1;
	}
	if (copy_fd(in, out)) {
		warn_errno("error copying '%s' to '%s'", src, dst);
		ret = -1;
	}
	if (close(out)) {
		warn_errno("error writing '%s'", dst);
		ret = -1;
	}
	close(in);
	return ret;
}

static int copy_dir(const char *src, const char *dst, const struct stat *st,
		    const struct copy_opts *o)
{
	struct stat dst_st;
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (!o->recursive) {
		warn("-r not specified; omitting directory '%s'", src);
		return -1;
	}
	if (stat(dst, &dst_st)) {
		if (mkdir(dst, (st->st_mode & 07777) | S_IRWXU)) {
			warn_errno("cannot create directory '%s'", dst);
			return -1;
		}
	} else if (!S_ISDIR(dst_st.st_mode)) {
		warn("cannot overwrite non-directory '%s' with directory '%s'", dst, src);
		return -1;
	}
	d = opendir(src);
	if (!d) {
		warn_errno("cannot access '%s'", src);
		return -1;
	}
	while ((de = readdir(d))) {
		char *s, *t;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		s = path_join(src, de->d_name);
		t = path_join(dst, de->d_name);
		if (copy_path(s, t, o))
			ret = -1;
		free(s);
		free(t);
	}
	closedir(d);
	if (!o->preserve && chmod(dst, st->st_mode & 07777))
		ret = -1;
	return ret;
}

int copy_path(const char *src, const char *dst, const struct copy_opts *o)
{
	struct stat st;
	int ret;

	if ((o->no_deref ? lstat(src, &st) : stat(src, &st))) {
		warn_errno("cannot stat '%s'", src);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = copy_dir(src, dst, &st, o);
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(src, target, sizeof(target) - 1);

		if (n < 0) {
			warn_errno("cannot read symbolic link '%s'", src);
			return -1;
		}
		target[n] = '\0';
		unlink(dst);
		ret = symlink(target, dst);
		if (ret)
			warn_errno("cannot create symbolic link '%s'", dst);
	} else if (S_ISREG(st.st_mode)) {
		ret = copy_file(src, dst, &st, o);
	} else if (o->recursive) {
		unlink(dst);
		ret = S_ISFIFO(st.st_mode) ? mkfifo(dst, st.st_mode & 07777)
					   : mknod(dst, st.st_mode, st.st_rdev);
		if (ret)
			warn_errno("cannot create special file '%s'", dst);
	} else {
		ret = copy_file(src, dst, &st, o);
	}
	if (!ret)
		copy_attrs(dst, &st, o);
	return ret;
}

int remove_path(const char *path, int recursive, int force)
{
	struct stat st;
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (lstat(path, &st)) {
		if (force && errno == ENOENT)
			return 0;
		warn_errno("cannot remove '%s'", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path)) {
			warn_errno("cannot remove '%s'", path);
			return -1;
		}
		return 0;
	}
	if (!recursive) {
		warn("cannot remove '%s': Is a directory", path);
		return -1;
	}
	d = opendir(path);
	if (!d) {
		warn_errno("cannot remove '%s'", path);
		return -1;
	}
	while ((de = readdir(d))) {
		char *s;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		s = path_join(path, de->d_name);
		if (remove_path(s, recursive, force))
			ret = -1;
		free(s);
	}
	closedir(d);
	if (rmdir(path)) {
		warn_errno("cannot remove '%s'", path);
		ret = -1;
	}
	return ret;
}
