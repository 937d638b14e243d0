# basename, dirname, date, hexdump, env, which, kill, cmp, misc
t basename-1 'basename /usr/lib/libc.a' <<'EOF'
libc.a
[0]
EOF
t basename-suffix 'basename /usr/lib/libc.a .a' <<'EOF'
libc
[0]
EOF
t basename-slash 'basename /usr/lib/' <<'EOF'
lib
[0]
EOF
t basename-root 'basename /' <<'EOF'
/
[0]
EOF
t basename-suffix-whole 'basename .a .a' <<'EOF'
.a
[0]
EOF
t dirname-1 'dirname /usr/lib/libc.a' <<'EOF'
/usr/lib
[0]
EOF
t dirname-rel 'dirname libc.a' <<'EOF'
.
[0]
EOF
t dirname-slashes 'dirname /usr//lib//' <<'EOF'
/usr
[0]
EOF
t dirname-root 'dirname /' <<'EOF'
/
[0]
EOF
t dirname-multi 'dirname a/b c/d/e' <<'EOF'
a
c/d
[0]
EOF
t date-d 'date -d @0' <<'EOF'
Thu Jan  1 00:00:00 UTC 1970
[0]
EOF
t date-u-fmt 'date -u -d @1234567890 "+%Y-%m-%d %H:%M:%S %j %a %b"' <<'EOF'
2009-02-13 23:31:30 044 Fri Feb
[0]
EOF
t date-d-iso 'date -d "2021-03-04 05:06:07" +%s' <<'EOF'
1614834367
[0]
EOF
t date-N 'date -d @1.5 +%s.%N' <<'EOF'
1.500000000
[0]
EOF
t date-bad 'date -d nonsense' <<'EOF'
[1]
EOF
t hexdump-short 'echo hello | hexdump -C' <<'EOF'
00000000  68 65 6c 6c 6f 0a                                 |hello.|
00000006
[0]
EOF
t hexdump-line 'printf "0123456789abcdefXYZ\001\377" | hexdump -C' <<'EOF'
00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|
00000010  58 59 5a 01 ff                                    |XYZ..|
00000015
[0]
EOF
t hexdump-star 'printf "%064d" 0 | hexdump -C' <<'EOF'
00000000  30 30 30 30 30 30 30 30  30 30 30 30 30 30 30 30  |0000000000000000|
*
00000040
[0]
EOF
t hexdump-n 'printf "abcdefgh" | hexdump -C -n 3' <<'EOF'
00000000  61 62 63                                          |abc|
00000003
[0]
EOF
t hexdump-s 'printf abcdefgh > hx; hexdump -C -s 6 hx' <<'EOF'
00000006  67 68                                             |gh|
00000008
[0]
EOF
t hexdump-empty 'hexdump -C < /dev/null' <<'EOF'
[0]
EOF
t env-set 'env -i FOO=bar env' <<'EOF'
FOO=bar
[0]
EOF
t env-run 'env -i A=1 B=2 sh -c "echo \$A\$B"' <<'EOF'
12
[0]
EOF
t env-u 'FOO=x env -u FOO sh -c "echo [\$FOO]"' <<'EOF'
[]
[0]
EOF
t env-missing 'env -i nosuchcommand' <<'EOF'
[127]
EOF
t which-found 'which cat | grep -c /cat$' <<'EOF'
1
[0]
EOF
t which-missing 'which nosuchcommand' <<'EOF'
[1]
EOF
t kill-l-num '$B/kill -l 9' <<'EOF'
KILL
[0]
EOF
t kill-l-name '$B/kill -l TERM' <<'EOF'
15
[0]
EOF
t kill-0 '$B/kill -0 $$ && echo alive' <<'EOF'
alive
[0]
EOF
t kill-s 'sleep 5 & $B/kill -s TERM $!; wait $!; echo $?' <<'EOF'
143
[0]
EOF
t kill-sig 'sleep 5 & $B/kill -KILL $!; wait $!; echo $?' <<'EOF'
137
[0]
EOF
t kill-num 'sleep 5 & $B/kill -9 $!; wait $!; echo $?' <<'EOF'
137
[0]
EOF
t kill-bad '$B/kill -s NOSUCH 1' <<'EOF'
[1]
EOF
t cmp-same 'echo a > x; echo a > y; cmp x y' <<'EOF'
[0]
EOF
t cmp-diff 'printf "ab\ncd\n" > x; printf "ab\nce\n" > y; cmp x y' <<'EOF'
x y differ: char 5, line 2
[1]
EOF
t cmp-s 'echo a > x; echo b > y; cmp -s x y' <<'EOF'
[1]
EOF
t sleep-frac 'sleep 0.1 && echo slept' <<'EOF'
slept
[0]
EOF
t sleep-bad 'sleep abc' <<'EOF'
[1]
EOF
t uname-s 'uname' <<'EOF'
Linux
[0]
EOF
t uname-a-fields 'test "$(uname -a | cut -d " " -f 1-3)" = "$(uname -s -n -r)" && echo same' <<'EOF'
same
[0]
EOF
t uname-m 'uname -m' <<'EOF'
x86_64
[0]
EOF
t pwd-P 'mkdir -p p/q && cd p/q && $B/pwd -P | grep -c "/p/q$"' <<'EOF'
1
[0]
EOF
t id-u 'id -u | grep -c "^[0-9][0-9]*$"' <<'EOF'
1
[0]
EOF
t sync 'sync' <<'EOF'
[0]
EOF
# GNU clear comes from ncurses and depends on TERM; ours always sends ESC[H ESC[2J ESC[3J.
t exo:clear 'clear | hexdump -C' <<'EOF'
00000000  1b 5b 48 1b 5b 32 4a 1b  5b 33 4a                 |.[H.[2J.[3J|
0000000b
[0]
EOF
