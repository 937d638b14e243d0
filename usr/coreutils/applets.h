/*
 * The applet table: APPLET(name, usage, options help, bad-usage status, no --help).
 * Included by exobox.h (prototypes) and exobox.c (the table), and listed by
 * "exobox --list", which the Makefile uses to make the /bin symlinks.
 * Keep it sorted by name.
 */
APPLET(basename, "NAME [SUFFIX]", "Print NAME with leading directories and SUFFIX removed.\n", 1, 0)
APPLET(cat, "[-nu] [FILE]...", "  -n  number all output lines\n", 1, 0)
APPLET(chmod, "[-R] MODE[,MODE]... FILE...",
       "MODE is octal or [ugoa]*[-+=][rwxXst]*, comma separated.\n  -R  change files and directories recursively\n", 1, 0)
APPLET(clear, "", "Clear the terminal screen.\n", 1, 0)
APPLET(cmp, "[-s] FILE1 FILE2", "  -s  print nothing; only the exit status\n", 2, 0)
APPLET(cp, "[-rRpfaP] SOURCE... DEST",
       "  -r, -R  copy directories recursively\n  -p  preserve mode, owner and times\n"
       "  -f  remove a destination that cannot be opened\n  -P  copy symlinks as symlinks (-a: -rpP)\n", 1, 0)
APPLET(cut, "-b LIST|-c LIST|-f LIST [-d DELIM] [-s] [FILE]...",
       "  -c LIST  select characters\n  -f LIST  select fields\n  -d DELIM  field delimiter (default TAB)\n"
       "  -s  do not print lines without delimiters\n", 1, 0)
APPLET(date, "[-u] [-d STRING] [+FORMAT]",
       "  -u  print Coordinated Universal Time\n  -d STRING  show time STRING (@SECONDS or YYYY-MM-DD [HH:MM[:SS]])\n", 1, 0)
APPLET(df, "[-hkT] [FILE]...", "  -h  human-readable sizes\n  -k  1K blocks (default)\n  -T  print file system type\n", 1, 0)
APPLET(dirname, "NAME...", "Print each NAME with its last component removed.\n", 1, 0)
APPLET(dmesg, "[-c]", "Print the kernel log (syslog(2), else /dev/kmsg).\n  -c  clear the log after printing\n", 1, 0)
APPLET(echo, "[-neE] [STRING]...", NULL, 1, 1)
APPLET(env, "[-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]",
       "  -i  start with an empty environment\n  -u NAME  remove NAME from the environment\n", 125, 0)
APPLET(false, "", NULL, 1, 1)
APPLET(free, "[-bkmgh]", "  -b, -k, -m, -g  show sizes in bytes, KiB (default), MiB, GiB\n  -h  human-readable\n", 1, 0)
APPLET(grep, "[-EFivcnlqrshH] [-e PATTERN]... PATTERN [FILE]...",
       "  -E  extended regular expressions\n  -F  fixed strings\n  -i  ignore case\n  -v  select non-matching lines\n"
       "  -c  print only a count\n  -n  prefix line numbers\n  -l  print only names of matching files\n"
       "  -q  quiet, status only\n  -r  search directories recursively\n  -s  no messages about unreadable files\n"
       "  -h, -H  do not / do print file names\n  -x, -w  match whole lines / words\n", 2, 0)
APPLET(halt, "[-f]", "Halt: ask init (SIGUSR1); -f calls reboot(2) at once.\n", 1, 0)
APPLET(head, "[-n [-]N] [-c N] [-N] [FILE]...", "  -n N  print the first N lines (default 10)\n  -c N  print the first N bytes\n", 1, 0)
APPLET(hexdump, "[-C] [-n LENGTH] [-s OFFSET] [FILE]...",
       "  -C  canonical hex+ASCII display (the only format)\n  -n LENGTH  interpret only LENGTH bytes\n  -s OFFSET  skip OFFSET bytes\n", 1, 0)
APPLET(id, "[-u|-g|-G] [-n] [USER]", "  -u, -g, -G  print only the user, group or group ids\n  -n  print names\n", 1, 0)
APPLET(kill, "[-s SIGNAL | -SIGNAL] PID... | -l [SIGNAL]...",
       "  -s SIGNAL, -SIGNAL  the signal to send (name or number, default TERM)\n  -l  list signal names\n", 1, 0)
APPLET(ln, "[-sfnT] TARGET... LINK_NAME|DIRECTORY", "  -s  make symbolic links\n  -f  remove existing destinations\n"
       "  -n  treat a symlink to a directory as a file\n", 1, 0)
APPLET(ls, "[-1aAdilnRrSt] [FILE]...",
       "  -a  do not ignore entries starting with .\n  -A  like -a but without . and ..\n  -d  list directories themselves\n"
       "  -l  long listing\n  -n  long listing with numeric owners\n  -i  print inode numbers\n"
       "  -R  list subdirectories recursively\n  -r  reverse order\n  -S  sort by size\n  -t  sort by time\n"
       "  -1  one file per line\n  -F  append indicator (one of */=@|)\n", 2, 0)
APPLET(mkdir, "[-p] [-m MODE] DIRECTORY...", "  -p  make parents as needed, no error if existing\n  -m MODE  set the mode\n", 1, 0)
APPLET(mount, "[-t TYPE] [-o OPTIONS] [SOURCE] DIR",
       "With no arguments, print the mounted file systems (/proc/mounts).\n"
       "  -t TYPE  file system type\n  -o OPTIONS  ro,rw,nosuid,nodev,noexec,remount,bind and data\n", 1, 0)
APPLET(mv, "[-f] SOURCE... DEST", "Rename SOURCE to DEST, or move SOURCEs into DIRECTORY.\n", 1, 0)
APPLET(poweroff, "[-f]", "Power off: ask init (SIGUSR2); -f calls reboot(2) at once.\n", 1, 0)
APPLET(printf, "FORMAT [ARGUMENT]...", NULL, 1, 1)
APPLET(ps, "[-ef] | [aux]", "Report processes from /proc.\n  -e, -A  every process\n  -f  full format\n  aux  user-oriented format for every process\n", 1, 0)
APPLET(pwd, "[-LP]", "Print the current working directory.\n", 1, 0)
APPLET(reboot, "[-f]", "Reboot: ask init (SIGTERM); -f calls reboot(2) at once.\n", 1, 0)
APPLET(rm, "[-rRf] FILE...", "  -f  ignore nonexistent files, never prompt\n  -r, -R  remove directories and their contents\n", 1, 0)
APPLET(rmdir, "[-p] DIRECTORY...", "  -p  remove DIRECTORY and its ancestors\n", 1, 0)
APPLET(seq, "[-s SEP] [-w] [FIRST [INCREMENT]] LAST", "  -s SEP  separator (default \\n)\n  -w  pad with zeros to equal width\n", 1, 0)
APPLET(sha256sum, "[FILE]...", "Print the SHA-256 checksum of each FILE ('-' or none: standard input).\n", 1, 0)
APPLET(sleep, "NUMBER[smhd]...", "Pause for the sum of the NUMBERs (fractions allowed).\n", 1, 0)
APPLET(sort, "[-nrufb] [-t SEP] [-k POS1[,POS2]] [-o FILE] [FILE]...",
       "  -n  numeric\n  -r  reverse\n  -u  unique\n  -f  fold case\n  -b  ignore leading blanks\n"
       "  -t SEP  field separator\n  -k F[,G]  sort on fields F to G\n  -o FILE  write to FILE\n", 2, 0)
APPLET(stat, "[-L] [-c FORMAT] FILE...", "  -L  follow links\n  -c FORMAT  use FORMAT (%n %s %a %A %F %u %g %i %h %Y ...)\n", 1, 0)
APPLET(sync, "", "Flush file system buffers.\n", 1, 0)
APPLET(tail, "[-n [+-]N] [-c N] [-f] [-N] [FILE]...",
       "  -n N  print the last N lines (+N: from line N)\n  -c N  the last N bytes\n  -f  follow appended data\n", 1, 0)
APPLET(test, "EXPRESSION", NULL, 2, 1)
APPLET(touch, "[-acm] [-d DATE] [-r FILE] FILE...",
       "  -a, -m  change only the access / modification time\n  -c  do not create files\n"
       "  -d DATE  use DATE (YYYY-MM-DD [HH:MM[:SS]] or @SECONDS)\n  -r FILE  use FILE's times\n", 1, 0)
APPLET(tr, "[-cds] SET1 [SET2]",
       "  -d  delete characters in SET1\n  -s  squeeze repeats of the last set\n  -c  complement SET1\n"
       "SETs take ranges a-z, escapes \\n \\t \\\\ \\NNN, [:alpha:]-style classes and [c*n].\n", 1, 0)
APPLET(true, "", NULL, 1, 1)
APPLET(umount, "[-fl] DIR...", "  -f  force\n  -l  lazy (detach now)\n", 1, 0)
APPLET(uname, "[-asnrvmpio]",
       "  -a  all\n  -s  kernel name\n  -n  node name\n  -r  kernel release\n  -v  kernel version\n  -m  machine\n", 1, 0)
APPLET(uniq, "[-cdui] [INPUT [OUTPUT]]",
       "  -c  prefix lines with counts\n  -d  only print duplicated lines\n  -u  only print unique lines\n  -i  ignore case\n", 1, 0)
APPLET(uptime, "", "Print the time, how long the system has been up, and the load averages.\n", 1, 0)
APPLET(wc, "[-lwcm] [FILE]...", "  -l  lines\n  -w  words\n  -c  bytes\n  -m  characters (bytes here)\n", 1, 0)
APPLET(which, "[-a] COMMAND...", "  -a  print every match in PATH\n", 1, 0)
APPLET(whoami, "", "Print the effective user name.\n", 1, 0)
APPLET(yes, "[STRING]...", NULL, 1, 1)
