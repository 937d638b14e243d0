# ls, stat, touch, chmod (fixed dates; numeric owners; no directory sizes)
mkdir -p tree/a/b tree/c && : > tree/a/b/deep && : > tree/z && : > tree/.hidden
printf 'hello\n' > f1 && printf '0123456789' > f2 && ln -s f1 link && chmod 644 f1 f2
touch -d '2020-01-02 03:04:05' f1 && touch -d '2019-12-31 23:59:59' f2
t ls-plain 'ls tree' <<'EOF'
a
c
z
[0]
EOF
t ls-a 'ls -a tree' <<'EOF'
.
..
.hidden
a
c
z
[0]
EOF
t ls-A 'ls -A tree' <<'EOF'
.hidden
a
c
z
[0]
EOF
t ls-1 'ls -1 tree/a' <<'EOF'
b
[0]
EOF
t ls-R 'ls -R tree' <<'EOF'
tree:
a
c
z

tree/a:
b

tree/a/b:
deep

tree/c:
[0]
EOF
t ls-d 'ls -d tree tree/a' <<'EOF'
tree
tree/a
[0]
EOF
t ls-files-first 'ls tree/c f1 tree/a' <<'EOF'
f1

tree/a:
b

tree/c:
[0]
EOF
# Owners are cut out: the suite also runs as an ordinary user.
t ls-ln 'ls -ln f1 f2 | tr -s " " | cut -d " " -f 1,2,5-' <<'EOF'
-rw-r--r-- 1 6 Jan 2 2020 f1
-rw-r--r-- 1 10 Dec 31 2019 f2
[0]
EOF
t ls-l-link 'ls -ln link | tr -s " " | cut -d " " -f 1,2,5,9-' <<'EOF'
lrwxrwxrwx 1 2 link -> f1
[0]
EOF
t ls-r 'ls -r tree' <<'EOF'
z
c
a
[0]
EOF
t ls-t 'ls -t f1 f2' <<'EOF'
f1
f2
[0]
EOF
t ls-S 'ls -S f1 f2' <<'EOF'
f2
f1
[0]
EOF
t ls-missing 'ls nosuch f1' <<'EOF'
f1
[2]
EOF
t ls-F 'ls -F tree' <<'EOF'
a/
c/
z
[0]
EOF
t ls-dir-link 'ln -s tree tl && ls tl' <<'EOF'
a
c
z
[0]
EOF
t stat-c 'stat -c "%n %s %a %A %F %h" f1 f2 && stat -c "%n %a %A %F %h" tree' <<'EOF'
f1 6 644 -rw-r--r-- regular file 1
f2 10 644 -rw-r--r-- regular file 1
tree 755 drwxr-xr-x directory 4
[0]
EOF
t stat-c-link 'stat -c "%N %F" link' <<'EOF'
'link' -> 'f1' symbolic link
[0]
EOF
t stat-L 'stat -L -c "%F %s" link' <<'EOF'
regular file 6
[0]
EOF
t stat-Y 'stat -c "%Y %y" f1' <<'EOF'
1577934245 2020-01-02 03:04:05.000000000 +0000
[0]
EOF
t stat-empty ': > e && stat -c %F e' <<'EOF'
regular empty file
[0]
EOF
t stat-default-lines 'stat f1 | cut -c 1-7' <<'EOF'
  File:
  Size:
Device:
Access:
Access:
Modify:
Change:
 Birth:
[0]
EOF
t stat-default-mode 'stat f1 | grep "^Access: (" | cut -c 1-25' <<'EOF'
Access: (0644/-rw-r--r--)
[0]
EOF
t stat-missing 'stat nosuch' <<'EOF'
[1]
EOF
t touch-create 'touch new && test -f new && echo yes' <<'EOF'
yes
[0]
EOF
t touch-d 'touch -d "2001-02-03 04:05:06" f3 && stat -c %Y f3' <<'EOF'
981173106
[0]
EOF
t touch-at 'touch -d @1000000000 f3 && stat -c %Y f3' <<'EOF'
1000000000
[0]
EOF
t touch-r 'touch -r f1 f4 && stat -c %Y f4' <<'EOF'
1577934245
[0]
EOF
t touch-c 'touch -c none; test -e none || echo absent' <<'EOF'
absent
[0]
EOF
t touch-m 'touch -d @5 f5 && touch -m -d @9 f5 && stat -c "%X %Y" f5' <<'EOF'
5 9
[0]
EOF
t chmod-octal 'chmod 751 f1 && stat -c %a f1' <<'EOF'
751
[0]
EOF
t chmod-sym 'chmod 644 f1 && chmod u+x,go-r f1 && stat -c %A f1' <<'EOF'
-rwx------
[0]
EOF
t chmod-eq 'chmod a=r f1 && stat -c %a f1' <<'EOF'
444
[0]
EOF
t chmod-plus-all 'chmod 600 f1 && chmod +x f1 && stat -c %a f1' <<'EOF'
711
[0]
EOF
t chmod-X 'chmod 644 f1 && chmod a+X f1 tree && stat -c %A f1 tree' <<'EOF'
-rw-r--r--
drwxr-xr-x
[0]
EOF
t chmod-R 'chmod -R go-rwx tree && stat -c "%a %n" tree tree/a tree/a/b/deep' <<'EOF'
700 tree
700 tree/a
600 tree/a/b/deep
[0]
EOF
t chmod-minus-w 'chmod 666 f2 && chmod -w f2 && stat -c %a f2' <<'EOF'
[1]
EOF
t chmod-copy 'chmod 640 f1 && chmod o=u f1 && stat -c %a f1' <<'EOF'
646
[0]
EOF
t chmod-bad 'chmod q+x f1' <<'EOF'
[1]
EOF
t chmod-missing 'chmod 644 nosuch' <<'EOF'
[1]
EOF
