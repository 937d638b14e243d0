// SPDX-License-Identifier: MIT
/*
 * The vDSO (group vdso) and the ELF interpreter checks of execve (group
 * interp).
 *
 * vdso: AT_SYSINFO_EHDR points at a valid ELF shared object exporting
 * __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time and __vdso_getcpu
 * and their unprefixed aliases at version LINUX_2.6, found the way libcs
 * find them (dynamic section, hash table, version tables); each agrees with
 * its system call (a vDSO read lies between two syscall reads), getcpu
 * names the CPU the thread is pinned to, CLOCK_MONOTONIC read through the
 * vDSO never goes backward between threads on different CPUs, and
 * /proc/self/maps shows [vdso] (at AT_SYSINFO_EHDR) and [vvar].
 *
 * interp: programs built here by hand whose PT_INTERP names a missing file
 * (ENOENT), a file that is not ELF (ELIBBAD), an empty file (EIO), a
 * non-executable file (EACCES); and an interpreter that runs. Plus the
 * mapping sequence an ld.so performs on a library, step by step. Also
 * (group interp, as it uses the same hand-built programs) the registers a
 * new program starts with: zero, whatever the caller of execve held.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#ifndef AT_SYSINFO_EHDR
#define AT_SYSINFO_EHDR 33
#endif

struct vdso_info {
	uintptr_t base;		/* load address minus the image's vaddrs */
	const Elf64_Sym *sym;
	const char *str;
	const Elf64_Half *versym;
	const Elf64_Verdef *verdef;
	unsigned int nsyms;
};

static int vdso_parse(struct vdso_info *vi)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Word *hash = NULL;

	memset(vi, 0, sizeof(*vi));
	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_type != ET_DYN || eh->e_machine != EM_X86_64)
		return -1;
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	vi->base = (uintptr_t)eh;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			vi->base = (uintptr_t)eh - ph[i].p_vaddr;
	}
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(vi->base + ph[i].p_vaddr);
	if (!dyn)
		return -1;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = vi->base + dyn->d_un.d_ptr;

		switch (dyn->d_tag) {
		case DT_SYMTAB: vi->sym = (const Elf64_Sym *)p; break;
		case DT_STRTAB: vi->str = (const char *)p; break;
		case DT_HASH: hash = (const Elf64_Word *)p; break;
		case DT_VERSYM: vi->versym = (const Elf64_Half *)p; break;
		case DT_VERDEF: vi->verdef = (const Elf64_Verdef *)p; break;
		}
	}
	if (!vi->sym || !vi->str || !hash)
		return -1;
	vi->nsyms = hash[1];	/* nchain: one per symbol */
	return 0;
}

/* The version name of symbol @i, or "". */
static const char *vdso_sym_version(const struct vdso_info *vi, unsigned int i)
{
	const Elf64_Verdef *vd = vi->verdef;
	Elf64_Half want;

	if (!vi->versym || !vd)
		return "";
	want = vi->versym[i] & 0x7fff;
	for (;;) {
		if (vd->vd_ndx == want && !(vd->vd_flags & VER_FLG_BASE)) {
			const Elf64_Verdaux *aux =
				(const Elf64_Verdaux *)((const char *)vd + vd->vd_aux);

			return vi->str + aux->vda_name;
		}
		if (!vd->vd_next)
			return "";
		vd = (const Elf64_Verdef *)((const char *)vd + vd->vd_next);
	}
}

/* The address of @name at version LINUX_2.6, or NULL. */
static void *vdso_sym(const char *name)
{
	struct vdso_info vi;

	if (vdso_parse(&vi))
		return NULL;
	for (unsigned int i = 1; i < vi.nsyms; i++) {
		const Elf64_Sym *s = &vi.sym[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    strcmp(vi.str + s->st_name, name))
			continue;
		if (strcmp(vdso_sym_version(&vi, i), "LINUX_2.6"))
			continue;
		return (void *)(vi.base + s->st_value);
	}
	return NULL;
}

typedef int (*vdso_clock_gettime_t)(clockid_t, struct timespec *);
typedef int (*vdso_gettimeofday_t)(struct timeval *, void *);
typedef long (*vdso_time_t)(long *);
typedef long (*vdso_getcpu_t)(unsigned int *, unsigned int *, void *);

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

TEST(vdso, ehdr_is_elf_with_the_four_functions)
{
	static const char *const names[] = {
		"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
		"clock_gettime", "gettimeofday", "time", "getcpu",
	};
	struct vdso_info vi;

	ASSERT_TRUE(getauxval(AT_SYSINFO_EHDR) != 0);
	ASSERT_EQ(vdso_parse(&vi), 0);
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!vdso_sym(names[i]))
			printf("  missing %s@LINUX_2.6\n", names[i]);
		EXPECT_TRUE(vdso_sym(names[i]) != NULL);
	}
	EXPECT_TRUE(vdso_sym("__vdso_clock_gettime") == vdso_sym("clock_gettime"));
}

TEST(vdso, clock_gettime_agrees_with_the_syscall)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					    CLOCK_MONOTONIC_RAW };
	vdso_clock_gettime_t fn = (vdso_clock_gettime_t)vdso_sym("__vdso_clock_gettime");
	struct timespec a, v, b;

	ASSERT_TRUE(fn != NULL);
	for (unsigned int i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		for (int round = 0; round < 1000; round++) {
			ASSERT_OK(syscall(SYS_clock_gettime, clocks[i], &a));
			ASSERT_EQ(fn(clocks[i], &v), 0);
			ASSERT_OK(syscall(SYS_clock_gettime, clocks[i], &b));
			if (ts_ns(&a) > ts_ns(&v) || ts_ns(&v) > ts_ns(&b)) {
				printf("  clock %d: %lld %lld %lld\n", (int)clocks[i], ts_ns(&a),
				       ts_ns(&v), ts_ns(&b));
				EXPECT_TRUE(0);
				break;
			}
			EXPECT_TRUE(v.tv_nsec >= 0 && v.tv_nsec < 1000000000L);
		}
	}
	/* A clock the vDSO does not compute goes to the syscall: same errors. */
	errno = 0;
	EXPECT_EQ(fn(-1000, &v), -EINVAL);
	EXPECT_EQ(fn(CLOCK_PROCESS_CPUTIME_ID, &v), 0);
}

TEST(vdso, gettimeofday_and_time_agree_with_the_syscalls)
{
	vdso_gettimeofday_t gtod = (vdso_gettimeofday_t)vdso_sym("__vdso_gettimeofday");
	vdso_time_t tm = (vdso_time_t)vdso_sym("__vdso_time");
	struct timeval a, v, b;
	long ta, tv, tb, stored = 0;

	ASSERT_TRUE(gtod != NULL && tm != NULL);
	for (int round = 0; round < 1000; round++) {
		ASSERT_OK(syscall(SYS_gettimeofday, &a, NULL));
		ASSERT_EQ(gtod(&v, NULL), 0);
		ASSERT_OK(syscall(SYS_gettimeofday, &b, NULL));
		EXPECT_TRUE(a.tv_sec * 1000000L + a.tv_usec <= v.tv_sec * 1000000L + v.tv_usec);
		EXPECT_TRUE(v.tv_sec * 1000000L + v.tv_usec <= b.tv_sec * 1000000L + b.tv_usec);
	}
	ta = syscall(SYS_time, NULL);
	tv = tm(&stored);
	tb = syscall(SYS_time, NULL);
	EXPECT_TRUE(ta <= tv && tv <= tb);
	EXPECT_EQ(stored, tv);
	EXPECT_EQ(gtod(NULL, NULL), 0);
}

TEST(vdso, getcpu_names_the_pinned_cpu)
{
	vdso_getcpu_t fn = (vdso_getcpu_t)vdso_sym("__vdso_getcpu");
	cpu_set_t all, one;
	int tested = 0;

	ASSERT_TRUE(fn != NULL);
	ASSERT_OK(sched_getaffinity(0, sizeof(all), &all));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		unsigned int got = ~0u, node = ~0u, sys = ~0u;

		if (!CPU_ISSET(cpu, &all))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
		EXPECT_EQ(fn(&got, &node, NULL), 0);
		ASSERT_OK(syscall(SYS_getcpu, &sys, NULL, NULL));
		EXPECT_EQ(got, (unsigned int)cpu);
		EXPECT_EQ(sys, (unsigned int)cpu);
		EXPECT_EQ(node, 0u);
		tested++;
	}
	ASSERT_OK(sched_setaffinity(0, sizeof(all), &all));
	EXPECT_GT(tested, 0);
}

static struct {
	pthread_mutex_t lock;
	long long last;
	int backward;
	vdso_clock_gettime_t fn;
} mono = { PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL };

static void *mono_thread(void *arg)
{
	cpu_set_t one;
	struct timespec ts;

	CPU_ZERO(&one);
	CPU_SET((int)(long)arg, &one);
	sched_setaffinity(0, sizeof(one), &one);
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mono.lock);
		mono.fn(CLOCK_MONOTONIC, &ts);
		if (ts_ns(&ts) < mono.last)
			mono.backward++;
		mono.last = ts_ns(&ts);
		pthread_mutex_unlock(&mono.lock);
	}
	return NULL;
}

TEST_TIMEOUT(vdso, monotonic_never_goes_back_across_cpus, 60)
{
	pthread_t th[8];
	cpu_set_t all;
	int n = 0;

	mono.fn = (vdso_clock_gettime_t)vdso_sym("__vdso_clock_gettime");
	ASSERT_TRUE(mono.fn != NULL);
	ASSERT_OK(sched_getaffinity(0, sizeof(all), &all));
	for (int cpu = 0; cpu < CPU_SETSIZE && n < 8; cpu++)
		if (CPU_ISSET(cpu, &all))
			ASSERT_EQ(pthread_create(&th[n++], NULL, mono_thread, (void *)(long)cpu), 0);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(mono.backward, 0);
}

TEST(vdso, maps_show_vdso_and_vvar)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR), start, end;
	char line[512], perms[8];
	int vdso = 0, vvar = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3)
			continue;
		if (strstr(line, " [vdso]")) {
			vdso++;
			EXPECT_EQ(start, ehdr);
			EXPECT_STREQ(perms, "r-xp");
		} else if (strstr(line, " [vvar]")) {
			vvar++;
			EXPECT_TRUE(perms[0] == 'r' && perms[1] == '-');
		}
	}
	fclose(f);
	EXPECT_EQ(vdso, 1);
	EXPECT_GE(vvar, 1);
}

/* ---- interp ------------------------------------------------------------------ */

/* mov $60, %eax; mov $42, %edi; syscall: exit(42). */
static const unsigned char exit42[] = { 0xb8, 60, 0, 0, 0, 0xbf, 42, 0, 0, 0, 0x0f, 0x05 };

/*
 * exit(0) when rbx, rbp and r12-r15 are all zero at the entry point, else
 * exit(1): mov %r12,%rax; or %r13/%r14/%r15/%rbx/%rbp,%rax; setnz %dil;
 * movzbl %dil,%edi; mov $60,%eax; syscall.
 */
static const unsigned char exit_if_regs_zero[] = {
	0x4c, 0x89, 0xe0, 0x4c, 0x09, 0xe8, 0x4c, 0x09, 0xf0, 0x4c, 0x09, 0xf8, 0x48, 0x09, 0xd8,
	0x48, 0x09, 0xe8, 0x40, 0x0f, 0x95, 0xc7, 0x40, 0x0f, 0xb6, 0xff, 0xb8, 60, 0, 0, 0,
	0x0f, 0x05,
};

#define IMG_CODE 0x200
#define IMG_INTERP 0x100
#define IMG_CODE_MAX 64

/*
 * A one-segment x86_64 ELF at @path: ET_EXEC at 0x400000 or ET_DYN at 0,
 * entry @code (at most IMG_CODE_MAX bytes), with a PT_INTERP naming
 * @interp when it is not NULL.
 */
static void write_elf_code(const char *path, int type, const char *interp, mode_t mode,
			   const unsigned char *code, size_t code_len)
{
	unsigned char img[IMG_CODE + IMG_CODE_MAX];

	ASSERT_TRUE(code_len <= IMG_CODE_MAX);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	unsigned long vaddr = type == ET_EXEC ? 0x400000 : 0;

	memset(img, 0, sizeof(img));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = vaddr + IMG_CODE;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = interp ? 2 : 1;
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_vaddr = ph[0].p_paddr = vaddr;
	ph[0].p_filesz = ph[0].p_memsz = sizeof(img);
	ph[0].p_align = 0x1000;
	if (interp) {
		ph[1].p_type = PT_INTERP;
		ph[1].p_flags = PF_R;
		ph[1].p_offset = IMG_INTERP;
		ph[1].p_vaddr = ph[1].p_paddr = vaddr + IMG_INTERP;
		ph[1].p_filesz = ph[1].p_memsz = strlen(interp) + 1;
		ph[1].p_align = 1;
		strcpy((char *)img + IMG_INTERP, interp);
	}
	memcpy(img + IMG_CODE, code, code_len);
	write_file(path, img, sizeof(img), mode);
}

/* The same, entry exit42. */
static void write_elf(const char *path, int type, const char *interp, mode_t mode)
{
	write_elf_code(path, type, interp, mode, exit42, sizeof(exit42));
}

/* Runs @path in a child: its exit status, or 1000 + the errno execve failed with. */
static int exec_status(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };

		execve(path, argv, NULL);
		_exit(errno < 200 ? errno + 100 : 255);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	if (WEXITSTATUS(status) == 42)
		return 42;
	return WEXITSTATUS(status) >= 100 ? 1000 + WEXITSTATUS(status) - 100 : WEXITSTATUS(status);
}

static char interp_dir[64];
static pid_t interp_dir_owner;

/* Each test runs in its own process: it removes its directory at its end. */
static void interp_dir_remove(void)
{
	char path[sizeof(interp_dir) + 256 + 2];
	struct dirent *de;
	DIR *d;

	if (getpid() != interp_dir_owner || !(d = opendir(interp_dir)))
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", interp_dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(interp_dir);
}

static const char *interp_path(const char *name)
{
	static char buf[4][128];
	static int n;
	char *p = buf[n++ % 4];

	if (!interp_dir[0]) {
		snprintf(interp_dir, sizeof(interp_dir), "/tmp/exotest-interp-%d", (int)getpid());
		mkdir(interp_dir, 0755);
		interp_dir_owner = getpid();
	}
	snprintf(p, sizeof(buf[0]), "%s/%s", interp_dir, name);
	return p;
}

TEST(interp, a_missing_interpreter_is_enoent)
{
	write_elf(interp_path("prog-missing"), ET_EXEC, "/nonexistent/ld-exotest.so", 0755);
	EXPECT_EQ(exec_status(interp_path("prog-missing")), 1000 + ENOENT);
	interp_dir_remove();
}

TEST(interp, an_interpreter_that_is_not_elf_is_elibbad)
{
	write_file(interp_path("notelf"), "#!/bin/sh\nexit 0\n this is not an ELF header at all, "
		   "just text long enough to fill one.................................\n",
		   120, 0755);
	write_elf(interp_path("prog-notelf"), ET_EXEC, interp_path("notelf"), 0755);
	EXPECT_EQ(exec_status(interp_path("prog-notelf")), 1000 + ELIBBAD);
	interp_dir_remove();
}

TEST(interp, an_empty_interpreter_is_eio)
{
	write_file(interp_path("empty"), "", 0, 0755);
	write_elf(interp_path("prog-empty"), ET_EXEC, interp_path("empty"), 0755);
	EXPECT_EQ(exec_status(interp_path("prog-empty")), 1000 + EIO);
	interp_dir_remove();
}

TEST(interp, an_interpreter_without_execute_permission_is_eacces)
{
	/* Even root needs an execute bit to exec a file, the interpreter too. */
	write_file(interp_path("noexec"), "\177ELF", 4, 0644);
	write_elf(interp_path("prog-noexec"), ET_EXEC, interp_path("noexec"), 0755);
	EXPECT_EQ(exec_status(interp_path("prog-noexec")), 1000 + EACCES);
	interp_dir_remove();
}

TEST(interp, an_elf_interpreter_runs_in_place_of_the_program)
{
	/* The interpreter's own code runs: it exits 42, the program never starts. */
	write_elf(interp_path("ld-ok"), ET_DYN, NULL, 0755);
	write_elf(interp_path("prog-ok"), ET_EXEC, interp_path("ld-ok"), 0755);
	EXPECT_EQ(exec_status(interp_path("prog-ok")), 42);
	interp_dir_remove();
}

TEST(interp, an_interpreter_with_its_own_interp_is_still_loaded)
{
	/* Linux ignores the interpreter's PT_INTERP: it is not asked for another. */
	write_elf(interp_path("ld-nested"), ET_DYN, "/nonexistent/ld-exotest.so", 0755);
	write_elf(interp_path("prog-nested"), ET_EXEC, interp_path("ld-nested"), 0755);
	EXPECT_EQ(exec_status(interp_path("prog-nested")), 42);
	interp_dir_remove();
}

static void write_first_word(void *p)
{
	*(volatile long *)p = 1;
}

/*
 * A new program starts with zeroed registers, whatever the caller of
 * execve held in them: the return from execve reloads every register from
 * the new pt_regs, the callee-saved ones too (which the system call fast
 * path otherwise leaves live).
 */
TEST(interp, a_new_program_starts_with_zeroed_registers)
{
	const char *path = interp_path("prog-regs");
	int status;
	pid_t pid;

	write_elf_code(path, ET_EXEC, NULL, 0755, exit_if_regs_zero, sizeof(exit_if_regs_zero));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		register long rbx __asm__("rbx") = 0x11, r12 __asm__("r12") = 0x12;
		register long r13 __asm__("r13") = 0x13, r14 __asm__("r14") = 0x14;
		register long r15 __asm__("r15") = 0x15;
		long ret = SYS_execve;

		__asm__ __volatile__("syscall"
				     : "+a"(ret), "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
				     : "D"(path), "S"(argv), "d"(NULL)
				     : "rcx", "r11", "memory");
		_exit(2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	interp_dir_remove();
}

TEST(interp, ld_so_mapping_sequence)
{
	const long pg = sysconf(_SC_PAGESIZE);
	const size_t size = 3 * pg + 100;	/* the last page only partly in the file */
	unsigned char *buf = malloc(size), *res, *text, *data, *bss;
	long word;
	int fd, status;
	pid_t pid;

	ASSERT_TRUE(buf != NULL);
	for (size_t i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 13 + 1);
	write_file(interp_path("libfake.so"), buf, size, 0755);
	fd = open(interp_path("libfake.so"), O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);

	/* The library's whole span reserved first, then its segments over it. */
	res = mmap(NULL, 5 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(res != MAP_FAILED);
	text = mmap(res, 2 * pg, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
	ASSERT_TRUE(text == res);
	data = mmap(res + 2 * pg, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
		    2 * pg);
	ASSERT_TRUE(data == res + 2 * pg);
	bss = mmap(res + 4 * pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED |
		   MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(bss == res + 4 * pg);
	EXPECT_MEMEQ(text, buf, 2 * pg);
	EXPECT_MEMEQ(data, buf + 2 * pg, pg + 100);
	/* Past end of file inside the last page: zeros. */
	for (long i = 100; i < pg; i++)
		if (data[pg + i]) {
			EXPECT_EQ(data[pg + i], 0);
			break;
		}
	EXPECT_EQ(bss[0] | bss[pg - 1], 0);

	/* Relocation: a private copy of the page; the file and a new mapping keep the bytes. */
	memcpy(&word, data, sizeof(word));
	word ^= 0x5a5a5a5a;
	memcpy(data, &word, sizeof(word));
	EXPECT_EQ(pread(fd, buf, sizeof(word), 2 * pg), (ssize_t)sizeof(word));
	EXPECT_TRUE(memcmp(buf, data, sizeof(word)) != 0);

	/* RELRO: read-only after relocation; the relocated value stays, a write faults. */
	ASSERT_OK(mprotect(data, pg, PROT_READ));
	EXPECT_EQ(memcmp(&word, data, sizeof(word)), 0);
	EXPECT_EQ(child_fault_code(SIGSEGV, write_first_word, data), SEGV_ACCERR);
	write_first_word(data + pg);

	/* A child sees the relocated page (copy-on-write of the private copy). */
	pid = fork();
	if (pid == 0)
		_exit(memcmp(&word, data, sizeof(word)) ? 1 : 0);
	ASSERT_TRUE(pid > 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	munmap(res, 5 * pg);
	close(fd);
	free(buf);
	interp_dir_remove();
}
